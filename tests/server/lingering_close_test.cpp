// A refusal sent before the body was read reaches a client that is still writing that body:
// the server reads and throws away the rest before it closes (Connection::linger).
#include <gtest/gtest.h>

#include <string>

#include "server/served_stack.hpp"
#include "support/process.hpp"

namespace reqtrace::testing {
namespace {

// Python's http.client, as the issue found it: it writes the whole 2 MiB body before it reads
// the answer, so a server that closes at once resets the connection under its write.
constexpr const char* kPostTooLarge = R"(import http.client, sys
statuses = []
for _ in range(10):
    connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
    try:
        connection.request("POST", "/form", body=b"x" * (2 << 20),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        statuses.append(str(connection.getresponse().status))
    except OSError as error:
        statuses.append(type(error).__name__)
    finally:
        connection.close()
print(" ".join(statuses))
)";

class LingeringClose : public ServedStack {};

TEST_P(LingeringClose, AClientStillSendingItsBodyReadsThe413) {
  start({}, /*max_body_bytes=*/1 << 20);
  const auto result = run_process(
      {"/usr/bin/python3", "-c", kPostTooLarge, std::to_string(stack->front_door().port)});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "413 413 413 413 413 413 413 413 413 413\n");
}

INSTANTIATE_TEST_SUITE_P(Models, LingeringClose, ::testing::Values("dev", "threaded", "prefork"),
                         model_name);

}  // namespace
}  // namespace reqtrace::testing
