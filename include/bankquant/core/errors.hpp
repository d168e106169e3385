// bankquant/core/errors.hpp — the library's exception types.
//
// Every exception the library throws derives from bankquant::Error, and also from the standard
// exception that fits its meaning, so callers may catch either:
//
//   InvalidArgument   : std::invalid_argument  a broken precondition (shape, NaN, range)
//   NotFitted         : std::logic_error       a model used before fit() or load
//   ModelFormatError  : std::runtime_error     a model file that is corrupted or from a newer version
//   ConvergenceError  : std::runtime_error     an iteration failed and left no usable result
//   NumericalError    : std::runtime_error     arithmetic failed (singular system, overflow)
//   Cancelled         : std::runtime_error     a progress callback asked the work to stop
//
// An expected numerical outcome (no convergence with a usable last iterate) is NOT an exception:
// it goes into the result's status. Messages name the argument, the value seen and what was
// expected; build them with fmt (see check.hpp for the helpers every module uses).
#pragma once

#include <stdexcept>
#include <string>

#include "bankquant/export.hpp"

namespace bankquant {

/// Common base of every bankquant exception. Not itself a std::exception, so that each concrete
/// type has exactly one std::exception base (catching `const std::exception&` stays unambiguous).
class BANKQUANT_EXPORT Error {
 public:
  virtual ~Error() = default;
  [[nodiscard]] virtual const char* what() const noexcept = 0;
};

#define BANKQUANT_DEFINE_ERROR(Name, StdBase)                                   \
  class BANKQUANT_EXPORT Name : public StdBase, public Error {                  \
   public:                                                                      \
    explicit Name(const std::string& message) : StdBase(message) {}             \
    [[nodiscard]] const char* what() const noexcept override {                  \
      return StdBase::what();                                                   \
    }                                                                           \
  }

BANKQUANT_DEFINE_ERROR(InvalidArgument, std::invalid_argument);
BANKQUANT_DEFINE_ERROR(NotFitted, std::logic_error);
BANKQUANT_DEFINE_ERROR(ModelFormatError, std::runtime_error);
BANKQUANT_DEFINE_ERROR(ConvergenceError, std::runtime_error);
BANKQUANT_DEFINE_ERROR(NumericalError, std::runtime_error);
BANKQUANT_DEFINE_ERROR(Cancelled, std::runtime_error);

#undef BANKQUANT_DEFINE_ERROR

}  // namespace bankquant
