#pragma once
// Amounts as clients write them in a population's amount column.
#include <optional>
#include <string_view>

namespace tickmark {

// "1,234.50", "$ 1 234.50", "(12.00)", "-12", "1.5E+06" -> the number. Only finite decimals:
// "nan", "inf", "-infinity", "1e999" (beyond a double), hex ("0x1A"), an empty cell or any other text
// -> nullopt (the population flags the row bad-amount).
std::optional<double> parseAmount(std::string_view s);

}  // namespace tickmark
