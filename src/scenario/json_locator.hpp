// Where the value at a JSON pointer starts in the original text, so messages can say line:column.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace reqtrace::scenario {

// 1-based. The column counts characters (UTF-8 code points), as editors do; a tab counts one.
struct TextPosition {
  int line = 0;
  int column = 0;
};

// The parsed document has no positions, so the locator reads the text again on demand, skipping
// comments and strings the way the parser did. It expects text that parsed; on other text it
// answers nullopt rather than guessing. The text must outlive the locator.
class JsonLocator {
 public:
  explicit JsonLocator(std::string_view text);

  TextPosition position_of(std::size_t offset) const;

  // Where the value at `pointer` starts; for a key given twice, the last, which the parser kept.
  std::optional<TextPosition> find_value(std::string_view pointer) const;
  // Where the key of the object member at `pointer` starts (its opening quote).
  std::optional<TextPosition> find_key(std::string_view pointer) const;

 private:
  struct Place {
    std::size_t value = 0;
    std::optional<std::size_t> key;  // none for array elements and the whole document
  };
  std::optional<Place> find(std::string_view pointer) const;

  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace reqtrace::scenario
