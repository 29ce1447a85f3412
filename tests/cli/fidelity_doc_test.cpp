// docs/fidelity.md stays true: every row of its tables names the gtest that holds the model to
// its real counterpart, and each named test exists in tests/, so a row cannot outlive its test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSource = REQTRACE_SOURCE_DIR;

std::string read_whole(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "Suite.Name" for every TEST, TEST_F and TEST_P under tests/.
std::set<std::string> declared_tests() {
  static const std::regex kTest(R"(\bTEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\))");
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(kSource / "tests")) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string text = read_whole(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), kTest), end; it != end; ++it)
      names.insert((*it)[1].str() + "." + (*it)[2].str());
  }
  return names;
}

struct Row {
  int line = 0;
  std::string section;
  std::string checked_by;  // the last cell
};

// The body rows of every table: not the header, not the |---| line.
std::vector<Row> table_rows(const std::string& doc) {
  std::vector<Row> rows;
  std::istringstream lines(doc);
  std::string section;
  bool in_table = false;
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (line.rfind("## ", 0) == 0) section = line.substr(3);
    if (line.rfind('|', 0) != 0) {
      in_table = false;
      continue;
    }
    if (!in_table) {
      in_table = true;  // the header row
      continue;
    }
    if (line.rfind("|---", 0) == 0) continue;
    const auto last_bar = line.find_last_of('|');
    const auto before = line.find_last_of('|', last_bar == 0 ? 0 : last_bar - 1);
    rows.push_back({number, section, line.substr(before + 1, last_bar - before - 1)});
  }
  return rows;
}

TEST(FidelityDoc, EveryRowNamesARealTest) {
  const std::string doc = read_whole(kSource / "docs" / "fidelity.md");
  ASSERT_FALSE(doc.empty()) << "docs/fidelity.md is missing";
  const std::set<std::string> tests = declared_tests();
  // `Suite.Name`, or a parameterised one as ctest lists it: `Prefix/Suite.Name/param`.
  static const std::regex kName(R"(`(?:\w+/)?(\w+)\.(\w+)(?:/\w+)?`)");
  for (const Row& row : table_rows(doc)) {
    SCOPED_TRACE("docs/fidelity.md:" + std::to_string(row.line) + " (" + row.section + ")");
    int named = 0;
    for (std::sregex_iterator it(row.checked_by.begin(), row.checked_by.end(), kName), end;
         it != end; ++it) {
      ++named;
      const std::string name = (*it)[1].str() + "." + (*it)[2].str();
      EXPECT_TRUE(tests.count(name)) << "names " << name << ", which no TEST in tests/ declares";
    }
    EXPECT_GT(named, 0) << "the last cell names no test as `Suite.Name`: \"" << row.checked_by
                        << "\"";
  }
}

}  // namespace
