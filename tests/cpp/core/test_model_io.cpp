#include "bankquant/core/model_io.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/version.hpp"

namespace bq = bankquant;
namespace io = bankquant::io;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "bankquant_test_model_io";
  fs::create_directories(dir);
  return dir / name;
}

template <typename F>
std::string format_error_of(F&& f) {
  try {
    f();
  } catch (const bq::ModelFormatError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected ModelFormatError";
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(ModelIo, SaveAndLoadRoundTrip) {
  const fs::path path = temp_file("roundtrip.json");
  io::Json model;
  model["edges"] = io::json_from_doubles({-INFINITY, -1.5, 0.25, INFINITY});
  model["name"] = "age";
  io::save_model(path, "binning", 2, model);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));

  const io::ModelDocument doc = io::load_model(path, "binning", 2);
  EXPECT_EQ(doc.kind, "binning");
  EXPECT_EQ(doc.schema_version, 2);
  EXPECT_EQ(doc.library_version, BANKQUANT_VERSION_STRING);
  const auto edges = io::doubles_from_json(doc.model["edges"], "edges");
  ASSERT_EQ(edges.size(), 4u);
  EXPECT_EQ(edges[0], -INFINITY);
  EXPECT_EQ(edges[1], -1.5);
  EXPECT_EQ(edges[3], INFINITY);
  EXPECT_EQ(doc.model["name"], "age");
  EXPECT_NO_THROW((void)io::load_model(path, "binning", 5));  // older files stay readable
}

TEST(ModelIo, DoublesSurviveBitForBit) {
  bq::RandomStream s(12);
  std::vector<double> values;
  for (int i = 0; i < 2000; ++i) values.push_back(s.normal() * std::pow(10.0, s.uniform(-300, 300)));
  values.push_back(std::numeric_limits<double>::denorm_min());
  values.push_back(std::numeric_limits<double>::max());
  values.push_back(-0.0);
  const std::string text = io::json_from_doubles(values).dump();
  const auto back = io::doubles_from_json(io::parse_json(text), "values");
  ASSERT_EQ(back.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(std::memcmp(&back[i], &values[i], sizeof(double)), 0) << i;
  EXPECT_TRUE(std::isnan(io::double_from_json(io::json_from_double(NAN), "x")));
}

TEST(ModelIo, NewerSchemaVersionIsRefusedWithAClearMessage) {
  const fs::path path = temp_file("newer.json");
  io::save_model(path, "scorecard", 7, io::Json::object());
  const std::string message = format_error_of([&] { (void)io::load_model(path, "scorecard", 3); });
  EXPECT_TRUE(contains(message, "schema version 7")) << message;
  EXPECT_TRUE(contains(message, "reads versions up to 3")) << message;
  EXPECT_TRUE(contains(message, "upgrade bankquant")) << message;
}

TEST(ModelIo, WrongKindNotAModelAndCorruptedFiles) {
  const fs::path path = temp_file("kind.json");
  io::save_model(path, "garch", 1, io::Json::object());
  EXPECT_TRUE(contains(format_error_of([&] { (void)io::load_model(path, "scorecard", 1); }),
                       "holds a 'garch' model, expected a 'scorecard' model"));

  const fs::path other = temp_file("other.json");
  io::write_json_file(other, io::Json{{"hello", 1}});
  EXPECT_TRUE(contains(format_error_of([&] { (void)io::load_model(other, "", 1); }), "not a bankquant model file"));

  // Truncate a valid file half-way: the error says where parsing failed.
  const fs::path cut = temp_file("truncated.json");
  {
    io::Json model;
    model["weights"] = io::json_from_doubles(std::vector<double>(50, 0.125));
    const std::string text = io::make_model_document("scorecard", 1, model).dump();
    std::ofstream(cut) << text.substr(0, text.size() / 2);
  }
  const std::string message = format_error_of([&] { (void)io::load_model(cut, "scorecard", 1); });
  EXPECT_TRUE(contains(message, "is not valid JSON (corrupted or truncated?)")) << message;
  EXPECT_TRUE(contains(message, "truncated.json")) << message;

  EXPECT_TRUE(contains(format_error_of([&] { (void)io::load_model(temp_file("missing.json"), "", 1); }),
                       "cannot open model file"));

  io::Json no_model = io::make_model_document("x", 1, io::Json::object());
  no_model.erase("model");
  EXPECT_TRUE(contains(format_error_of([&] { (void)io::read_model_document(no_model, "x", 1); }), "missing field 'model'"));
  io::Json bad_version = io::make_model_document("x", 1, io::Json::object());
  bad_version["schema_version"] = "one";
  EXPECT_TRUE(contains(format_error_of([&] { (void)io::read_model_document(bad_version, "x", 1); }),
                       "'schema_version' must be an integer"));
}

TEST(ModelIo, BadDoubleFieldsNameTheField) {
  EXPECT_TRUE(contains(format_error_of([] { (void)io::double_from_json(io::Json("infinity"), "edges[2]"); }),
                       "field 'edges[2]'"));
  EXPECT_TRUE(contains(format_error_of([] { (void)io::doubles_from_json(io::Json(3.0), "edges"); }),
                       "field 'edges': expected an array"));
  EXPECT_TRUE(contains(format_error_of([] { (void)io::require_field(io::Json::object(), "beta", "garch"); }),
                       "garch: missing field 'beta'"));
}

// Found by tests/fuzz/fuzz_model_document: a number beyond double's range made the JSON library
// throw out_of_range, which escaped as an unknown exception instead of ModelFormatError.
TEST(ModelIo, OverflowingNumberIsAModelFormatError) {
  EXPECT_THROW((void)bankquant::io::parse_json("3333333e3333333"), bankquant::ModelFormatError);
  EXPECT_THROW((void)bankquant::io::parse_json(R"({"model": 1e400})"), bankquant::ModelFormatError);
}
