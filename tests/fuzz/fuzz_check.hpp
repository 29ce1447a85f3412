// What the fuzz harnesses share: the libFuzzer entry point and a check that stops on the spot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// An invariant that does not hold is a finding like a crash: abort, so libFuzzer saves the input
// and the corpus test fails. Not assert(): it must hold in release builds too.
#define FUZZ_CHECK(condition, what)                                                      \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, (what)); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)
