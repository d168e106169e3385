// The README's C++ example, built against the installed package by `make test`.
#include <vector>

#include <bankquant/core.hpp>   // CMake: find_package(bankquant CONFIG REQUIRED), link bankquant::bankquant
#include <fmt/format.h>
namespace bq = bankquant;

int main() {
  std::vector<double> z(1'000'000);
  bq::parallel_fill_normal(z, /*seed=*/42);                  // identical for any thread count
  fmt::print("1% quantile {:.4f}\n", bq::stats::quantile(z, 0.01));
  bq::io::save_model("z.json", "example", 1, {{"q01", bq::stats::quantile(z, 0.01)}});
}
