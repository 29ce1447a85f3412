#include "sim/client/subresources.hpp"

#include <cctype>
#include <map>
#include <set>
#include <string_view>

#include "sim/http/percent_coding.hpp"

namespace reqtrace::client {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[at + i]) != prefix[i]) return false;
  return true;
}

// The few character references a URL in an attribute is likely to hold ("?a=1&amp;b=2").
std::string decode_references(std::string_view value) {
  static const std::map<std::string_view, char> named = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto semicolon = value[i] == '&' ? value.find(';', i) : std::string_view::npos;
    if (semicolon == std::string_view::npos || semicolon - i > 8) {
      out += value[i];
      continue;
    }
    const std::string_view name = value.substr(i + 1, semicolon - i - 1);
    unsigned long code = 0;
    bool numeric = name.size() > 1 && name[0] == '#';
    if (numeric) {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      std::size_t used = 0;
      try {
        code = std::stoul(digits, &used, hex ? 16 : 10);
      } catch (const std::exception&) {
        used = 0;
      }
      numeric = !digits.empty() && used == digits.size() && code > 0 && code < 0x80;
    }
    if (numeric) {
      out += static_cast<char>(code);
    } else if (auto found = named.find(name); found != named.end()) {
      out += found->second;
    } else {
      out += value[i];
      continue;
    }
    i = semicolon;
  }
  return out;
}

// One start tag, read from just after its "<": its lowercase name and attributes, the first of a
// repeated attribute winning as in HTML. `at` ends just after the ">".
struct StartTag {
  std::string name;
  std::map<std::string, std::string> attributes;
};

StartTag read_start_tag(std::string_view html, std::size_t& at) {
  StartTag tag;
  while (at < html.size() && !is_space(html[at]) && html[at] != '/' && html[at] != '>')
    tag.name += lower(html[at++]);
  while (at < html.size() && html[at] != '>') {
    if (is_space(html[at]) || html[at] == '/') {
      ++at;
      continue;
    }
    std::string name;
    while (at < html.size() && !is_space(html[at]) && html[at] != '=' && html[at] != '>' &&
           html[at] != '/')
      name += lower(html[at++]);
    while (at < html.size() && is_space(html[at])) ++at;
    std::string value;
    if (at < html.size() && html[at] == '=') {
      ++at;
      while (at < html.size() && is_space(html[at])) ++at;
      if (at < html.size() && (html[at] == '"' || html[at] == '\'')) {
        const char quote = html[at++];
        const auto end = html.find(quote, at);
        value = html.substr(at, end == std::string_view::npos ? end : end - at);
        at = end == std::string_view::npos ? html.size() : end + 1;
      } else {
        while (at < html.size() && !is_space(html[at]) && html[at] != '>') value += html[at++];
      }
    }
    if (!name.empty()) tag.attributes.emplace(std::move(name), decode_references(value));
  }
  if (at < html.size()) ++at;  // the '>'
  return tag;
}

// Whether a rel attribute's space-separated list holds "stylesheet".
bool is_stylesheet(const std::string& rel) {
  std::size_t at = 0;
  while (at < rel.size()) {
    while (at < rel.size() && is_space(rel[at])) ++at;
    std::size_t end = at;
    while (end < rel.size() && !is_space(rel[end])) ++end;
    if (lowercase(std::string_view(rel).substr(at, end - at)) == "stylesheet") return true;
    at = end;
  }
  return false;
}

// The URL's scheme ("data", "https"), or "" for a reference without one.
std::string scheme_of(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return "";
  for (std::size_t i = 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == ':') return lowercase(url.substr(0, i));
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return "";
  }
  return "";
}

// RFC 3986 section 5.2.4: "/a/b/../c/./d" -> "/a/c/d".
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> kept;
  std::size_t at = 1;  // after the leading '/'
  bool ends_in_directory = false;
  while (at <= path.size()) {
    auto slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(at, slash - at);
    ends_in_directory = segment == "." || segment == "..";
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (segment != ".") {
      kept.push_back(segment);
    }
    at = slash + 1;
  }
  std::string out;
  for (const auto& segment : kept) out += "/" + std::string(segment);
  if (out.empty() || ends_in_directory) out += "/";
  return out;
}

// A browser encodes what a request target may not carry: spaces, controls, non-ASCII bytes.
std::string percent_encode_target(std::string_view target) {
  return http::percent_encode(target, [](unsigned char c) {
    return c > 0x20 && c < 0x7f &&
           std::string_view("\"<>\\^`{|}").find(static_cast<char>(c)) == std::string_view::npos;
  });
}

// The URL spec drops leading and trailing spaces and any tab or newline inside.
std::string clean_url(std::string_view url) {
  while (!url.empty() && static_cast<unsigned char>(url.front()) <= 0x20) url.remove_prefix(1);
  while (!url.empty() && static_cast<unsigned char>(url.back()) <= 0x20) url.remove_suffix(1);
  std::string out;
  for (char c : url)
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  return out;
}

// Why a link is not fetched, or "" when it is one the browser fetches from the page's server.
std::string why_skipped(const std::string& url) {
  if (url.empty() || url[0] == '#') return "it names no resource";
  if (url.rfind("//", 0) == 0)
    return "a protocol-relative URL names another host; only the page's own server is asked here";
  const std::string scheme = scheme_of(url);
  if (scheme == "data") return "a data: URL carries its content inside the page";
  if (!scheme.empty())
    return "a full " + scheme + ": URL; only paths on the page's own server are fetched here";
  return "";
}

}  // namespace

std::string resolve_reference(std::string_view reference, std::string_view page_target) {
  std::string_view page_path = page_target.substr(0, page_target.find('?'));
  if (page_path.empty() || page_path[0] != '/') page_path = "/";
  std::string_view ref = reference.substr(0, reference.find('#'));
  const auto question = ref.find('?');
  const std::string_view ref_path = ref.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : ref.substr(question);
  std::string path;
  if (ref_path.empty()) {
    path = page_path;  // "?v=2" keeps the page's path; "" the whole page, which callers skip
  } else if (ref_path[0] == '/') {
    path = ref_path;
  } else {
    path = std::string(page_path.substr(0, page_path.rfind('/') + 1)) + std::string(ref_path);
  }
  return percent_encode_target(remove_dot_segments(path) + std::string(query));
}

PageLinks find_subresources(std::string_view html, std::string_view page_target) {
  PageLinks links;
  std::set<std::string> seen;
  auto consider = [&](const std::string& kind, const std::string& written) {
    const std::string url = clean_url(written);
    if (std::string why = why_skipped(url); !why.empty()) {
      links.skipped.push_back({written, std::move(why)});
      return;
    }
    std::string path = resolve_reference(url, page_target);
    if (!seen.insert(path).second) {
      links.skipped.push_back({written, "already fetched for this page: " + path});
      return;
    }
    links.fetch.push_back({kind, written, std::move(path)});
  };

  std::size_t at = 0;
  while ((at = html.find('<', at)) != std::string_view::npos) {
    if (html.substr(at, 4) == "<!--") {
      const auto end = html.find("-->", at + 4);
      at = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    ++at;
    if (at >= html.size()) break;
    if (!std::isalpha(static_cast<unsigned char>(html[at]))) continue;  // </x>, <!doctype>, "a < b"
    const StartTag tag = read_start_tag(html, at);
    auto attribute = [&tag](const char* name) -> const std::string* {
      auto found = tag.attributes.find(name);
      return found == tag.attributes.end() ? nullptr : &found->second;
    };
    if (tag.name == "img") {
      if (const auto* src = attribute("src")) consider("img", *src);
    } else if (tag.name == "script") {
      if (const auto* src = attribute("src")) consider("script", *src);
    } else if (tag.name == "link") {
      const auto* rel = attribute("rel");
      const auto* href = attribute("href");
      if (rel && href && is_stylesheet(*rel)) consider("stylesheet", *href);
    }
    // Their text is not markup: "<img" inside a script is a string, not an image.
    if (tag.name == "script" || tag.name == "style" || tag.name == "textarea" ||
        tag.name == "title") {
      const std::string close = "</" + tag.name;
      while (at < html.size() && !starts_with_nocase(html, at, close)) ++at;
    }
  }
  return links;
}

}  // namespace reqtrace::client
