#!/bin/sh
# Prints how many corpus cases each class has, valid and invalid, from the "class" key of every
# NAME.expect.json; needs nothing built. The same table is printed by test_http's
# Corpus.EveryCaseHasAKnownClass, which also fails on a case without a known class.
set -eu
dir=$(dirname "$0")
count() {  # count <valid|invalid> <class>
  grep -l "\"class\": *\"$2\"" "$dir/$1"/*.expect.json 2>/dev/null | wc -l
}
printf '%-18s %5s %7s\n' class valid invalid
for c in request-line headers line-endings content-length transfer-encoding chunked limits \
         underscores; do
  printf '%-18s %5d %7d\n' "$c" "$(count valid "$c")" "$(count invalid "$c")"
done
total() { find "$dir/$1" -name '*.http' | wc -l; }
printf '%-18s %5d %7d\n' total "$(total valid)" "$(total invalid)"
