#include "scenario/load.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "scenario/checker.hpp"
#include "scenario/json_lexer.hpp"
#include "scenario/json_locator.hpp"
#include "scenario/parse_error.hpp"
#include "scenario/read_scenario.hpp"

namespace reqtrace::scenario {
namespace {

Loaded finish(Checker& checker, const nlohmann::json& document, const RuleReader& read_rule) {
  Loaded loaded;
  Scenario scenario = read_scenario(checker, document, read_rule);
  if (checker.has_problems())
    loaded.problems = checker.take_problems();
  else
    loaded.scenario = std::move(scenario);
  return loaded;
}

// nlohmann's parser does not recurse, but copying, comparing and dumping a value do: a document
// nested a few thousand levels deep overflows the stack. No scenario comes near this depth.
constexpr int kMaxDepth = 100;

// Where the first bracket nested deeper than kMaxDepth starts, read with the same lexer as the
// locator (comments and strings skipped); nothing when the text stays within the limit.
std::optional<std::size_t> too_deep(std::string_view text) {
  int depth = 0;
  for (std::size_t pos = json_lexer::skip_blank(text, json_lexer::bom_length(text));
       pos < text.size(); pos = json_lexer::skip_blank(text, pos)) {
    json_lexer::Token token = json_lexer::read_token(text, pos);
    if (token.kind == json_lexer::TokenKind::Punct) {
      char c = text[token.begin];
      if ((c == '{' || c == '[') && ++depth > kMaxDepth) return token.begin;
      if (c == '}' || c == ']') --depth;  // unbalanced text is the parser's to report
    }
    pos = token.end;
  }
  return std::nullopt;
}

Loaded one_problem(const std::string& file, std::string message) {
  Loaded loaded;
  loaded.problems.push_back(Problem{file, 0, 0, "", std::move(message)});
  return loaded;
}

}  // namespace

std::string Problem::to_string() const {
  // Like a compiler's "file:line:col: message", so editors and terminals can jump to it. Parts
  // that are unknown are left out rather than shown as 0 or "".
  // Appended piece by piece: `"literal" + std::string` trips a false -Wrestrict in GCC 12 at -O2.
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0)
    out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  out.append(": ");
  if (!pointer.empty()) out.append(pointer).append(": ");
  return out.append(message);
}

constexpr std::size_t kMaxScenarioBytes = std::size_t{8} << 20;

Loaded load_file(const std::filesystem::path& path, const RuleReader& read_rule) {
  const std::string file = path.string();
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    return one_problem(file, "cannot open: it is a directory, not a scenario file");
  // stdio, because it sets errno on failure and so can say why, which ifstream does not promise.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"),
                                                         &std::fclose);
  if (!stream) return one_problem(file, std::string("cannot open: ") + std::strerror(errno));
  std::string text;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0) {
    text.append(buffer, got);
    // A lesson is a few kilobytes; a file this large is a mistake, not a scenario.
    if (text.size() > kMaxScenarioBytes)
      return one_problem(file, "the file is larger than " +
                                   std::to_string(kMaxScenarioBytes >> 20) +
                                   " MiB; expected a scenario, a few kilobytes of JSON");
  }
  if (std::ferror(stream.get()))
    return one_problem(file, std::string("cannot read: ") + std::strerror(errno));
  Loaded loaded = load_text(text, file, read_rule);
  if (loaded.scenario) loaded.scenario->folder = path.parent_path();
  return loaded;
}

Loaded load_text(const std::string& text, const std::string& file, const RuleReader& read_rule) {
  if (std::optional<std::size_t> deep = too_deep(text)) {
    TextPosition at = JsonLocator(text).position_of(*deep);
    Loaded loaded;
    loaded.problems.push_back(Problem{file, at.line, at.column, "",
                                      "values nested more than " + std::to_string(kMaxDepth) +
                                          " levels deep; a scenario needs only a few"});
    return loaded;
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/true,
                                     /*ignore_comments=*/true);
  } catch (const nlohmann::json::exception& error) {
    // A syntax error says where the parser stopped; a value the parser cannot hold (a number
    // beyond a double) says nothing of where, and describe_parse_error finds it.
    const auto* syntax = dynamic_cast<const nlohmann::json::parse_error*>(&error);
    ParseFailure failure = describe_parse_error(text, error.what(), syntax ? syntax->byte : 0);
    TextPosition at = JsonLocator(text).position_of(failure.offset);
    Loaded loaded;
    loaded.problems.push_back(Problem{file, at.line, at.column, "", std::move(failure.message)});
    return loaded;
  }
  JsonLocator locator(text);
  Checker checker(file, &locator);
  return finish(checker, document, read_rule);
}

Loaded load_json(const nlohmann::json& document, const std::string& file,
                 const RuleReader& read_rule) {
  Checker checker(file, nullptr);
  return finish(checker, document, read_rule);
}

}  // namespace reqtrace::scenario
