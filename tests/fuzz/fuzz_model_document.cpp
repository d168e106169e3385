// Fuzzes the versioned model-file envelope every model kind reads first: any bytes are parsed as
// JSON and checked as a bankquant model document. Only ModelFormatError may come out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/model_io.hpp"

namespace io = bankquant::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const io::Json json = io::parse_json(text, "fuzz");
    const io::ModelDocument doc = io::read_model_document(json, "", 1000);
    // Exercise the typed readers on whatever the model holds.
    if (doc.model.is_object()) {
      for (const auto& [key, value] : doc.model.items()) {
        try {
          (void)io::double_from_json(value, key);
        } catch (const bankquant::ModelFormatError&) {
        }
        try {
          (void)io::doubles_from_json(value, key);
        } catch (const bankquant::ModelFormatError&) {
        }
      }
    }
  } catch (const bankquant::ModelFormatError&) {
    // a refusal with a message: the expected outcome for bad bytes
  }
  return 0;
}
