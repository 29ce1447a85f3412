// Werkzeug's converters: what each matches, what it hands the view, and how Python prints it.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/flask/converters.hpp"

namespace reqtrace::flask {
namespace {

std::vector<std::string> matches(const BaseConverter& converter, std::string_view target) {
  std::vector<std::size_t> ends;
  converter.match_ends(target, 0, ends);
  std::vector<std::string> out;
  out.reserve(ends.size());
  for (const std::size_t end : ends) out.emplace_back(target.substr(0, end));
  return out;
}

std::unique_ptr<BaseConverter> converter(std::string_view name, std::string_view args = "") {
  return make_converter(name, parse_converter_args(args));
}

TEST(Converters, RegexesAndWeightsAreWerkzeugs) {
  EXPECT_EQ(converter("default")->regex(), "[^/]{1,}");
  EXPECT_EQ(converter("string", "length=2")->regex(), "[^/]{2}");
  EXPECT_EQ(converter("string", "minlength=2, maxlength=5")->regex(), "[^/]{2,5}");
  EXPECT_EQ(converter("int")->regex(), "\\d+");
  EXPECT_EQ(converter("int", "signed=True")->regex(), "-?\\d+");
  EXPECT_EQ(converter("float")->regex(), "\\d+\\.\\d+");
  EXPECT_EQ(converter("path")->regex(), "[^/].*?");
  EXPECT_EQ(converter("any", "a, b, 'c d'")->regex(), "(?:a|b|c\\ d)");
  EXPECT_EQ(converter("int")->weight(), 50);
  EXPECT_EQ(converter("float")->weight(), 50);
  EXPECT_EQ(converter("default")->weight(), 100);
  EXPECT_EQ(converter("any", "a")->weight(), 100);
  EXPECT_EQ(converter("path")->weight(), 200);
  EXPECT_FALSE(converter("path")->part_isolating());
  EXPECT_TRUE(converter("default")->part_isolating());
}

TEST(Converters, GreedyPatternsTryTheLongestMatchFirst) {
  EXPECT_EQ(matches(*converter("default"), "ada/x"), (std::vector<std::string>{"ada", "ad", "a"}));
  EXPECT_EQ(matches(*converter("string", "length=2"), "ada"), (std::vector<std::string>{"ad"}));
  EXPECT_EQ(matches(*converter("string", "maxlength=2"), "ada"),
            (std::vector<std::string>{"ad", "a"}));
  EXPECT_EQ(matches(*converter("int"), "123x"), (std::vector<std::string>{"123", "12", "1"}));
  EXPECT_TRUE(matches(*converter("int"), "-1").empty());
  EXPECT_EQ(matches(*converter("int", "signed=True"), "-12"),
            (std::vector<std::string>{"-12", "-1"}));
  EXPECT_EQ(matches(*converter("float"), "1.25"), (std::vector<std::string>{"1.25", "1.2"}));
  EXPECT_TRUE(matches(*converter("float"), "1").empty());
  EXPECT_TRUE(matches(*converter("float"), ".5").empty());
}

TEST(Converters, PathIsLazyAndMayCrossSlashes) {
  EXPECT_EQ(matches(*converter("path"), "a/b"), (std::vector<std::string>{"a", "a/", "a/b"}));
  EXPECT_TRUE(matches(*converter("path"), "/a").empty());
}

TEST(Converters, AnyTriesItsItemsInOrder) {
  EXPECT_EQ(matches(*converter("any", "ab, a"), "abc"), (std::vector<std::string>{"ab", "a"}));
  EXPECT_TRUE(matches(*converter("any", "x, y"), "abc").empty());
}

TEST(Converters, ToPythonGivesTypedValues) {
  EXPECT_EQ(converter("int")->to_python("007"), ViewArg(std::int64_t{7}));
  EXPECT_EQ(converter("float")->to_python("1.50"), ViewArg(1.5));
  EXPECT_EQ(converter("default")->to_python("ada"), ViewArg(std::string("ada")));
  EXPECT_EQ(converter("uuid")->to_python("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
            ViewArg(std::string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")));
}

TEST(Converters, ToPythonRefusesValuesOutOfBounds) {
  EXPECT_THROW(converter("int", "min=1")->to_python("0"), ValidationError);
  EXPECT_THROW(converter("int", "max=9")->to_python("10"), ValidationError);
  EXPECT_THROW(converter("int", "fixed_digits=4")->to_python("24"), ValidationError);
  EXPECT_EQ(converter("int", "fixed_digits=4")->to_python("0024"), ViewArg(std::int64_t{24}));
  EXPECT_THROW(converter("float", "max=1.5")->to_python("2.0"), ValidationError);
  // Beyond 64 bits: Python would carry on; we do not match.
  EXPECT_THROW(converter("int")->to_python("99999999999999999999"), ValidationError);
}

TEST(Converters, ArgumentsParseLikePythonLiterals) {
  const ConverterArgs args = parse_converter_args("a, b, 'c d'");
  EXPECT_EQ(args.args, (std::vector<std::string>{"a", "b", "c d"}));
  const ConverterArgs quoted = parse_converter_args("\"foo,bar\", x");
  EXPECT_EQ(quoted.args, (std::vector<std::string>{"foo,bar", "x"}));
  const ConverterArgs keywords = parse_converter_args("min=1, max = 9");
  EXPECT_EQ(keywords.kwargs,
            (std::vector<std::pair<std::string, std::string>>{{"min", "1"}, {"max", "9"}}));
  EXPECT_TRUE(parse_converter_args("").args.empty());
  EXPECT_THROW(parse_converter_args("a b"), std::invalid_argument);
  EXPECT_THROW(parse_converter_args("'open"), std::invalid_argument);
  // Positional arguments bind in the order of the converter's parameters.
  EXPECT_EQ(converter("string", "2")->regex(), "[^/]{2,}");
}

TEST(Converters, UnknownConvertersAndArgumentsAreErrors) {
  EXPECT_THROW(converter("nope"), std::invalid_argument);
  EXPECT_THROW(converter("int", "bogus=1"), std::invalid_argument);
  EXPECT_THROW(converter("int", "min=one"), std::invalid_argument);
  EXPECT_THROW(converter("path", "1"), std::invalid_argument);
  EXPECT_THROW(converter("int", "1, 2, 3, True, 5"), std::invalid_argument);
}

TEST(PythonStr, FloatsPrintAsPythonReprDoes) {
  const std::vector<std::pair<double, std::string>> cases = {
      {1.5, "1.5"},
      {1.0, "1.0"},
      {0.1, "0.1"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {2.5e-7, "2.5e-07"},
      {3.14159, "3.14159"},
      {100.0, "100.0"},
      {1e22, "1e+22"},
      {0.0, "0.0"},
      {12345.678, "12345.678"},
      {-2.5, "-2.5"},
  };
  for (const auto& [value, text] : cases) EXPECT_EQ(python_float_repr(value), text) << text;
  EXPECT_EQ(python_str(ViewArg(std::int64_t{-7})), "-7");
  EXPECT_EQ(python_str(ViewArg(std::string("ada"))), "ada");
  EXPECT_EQ(python_str(ViewArg(2.0)), "2.0");
}

}  // namespace
}  // namespace reqtrace::flask
