// The plumbing under every model that forks: descriptors closed exactly once, children reaped
// with their status, and a child still there graceful_timeout after stop killed.
#include "sim/server/supervisor.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "sim/server/file_descriptor.hpp"

namespace reqtrace::server {
namespace {

bool is_open(int fd) {
  return ::fcntl(fd, F_GETFD) >= 0;
}

TEST(FileDescriptor, ClosesOnceWhoeverHoldsItLast) {
  Pipe pipe;
  ASSERT_TRUE(pipe.open());
  const int read_end = pipe.read.get();
  {
    FileDescriptor moved = std::move(pipe.read);
    EXPECT_FALSE(pipe.read.open());
    EXPECT_TRUE(is_open(read_end));
  }
  EXPECT_FALSE(is_open(read_end));
  const int write_end = pipe.write.release();
  EXPECT_TRUE(is_open(write_end));  // released: the caller owns it now
  FileDescriptor(write_end).reset();
  EXPECT_FALSE(is_open(write_end));
}

TEST(FileDescriptor, APipeAboveStdioNeverTakesZeroOneOrTwo) {
  Pipe pipe;
  ASSERT_TRUE(pipe.open(/*above_stdio=*/true));
  EXPECT_GT(pipe.read.get(), 2);
  EXPECT_GT(pipe.write.get(), 2);
  EXPECT_TRUE(::fcntl(pipe.read.get(), F_GETFD) & FD_CLOEXEC);
}

TEST(Supervisor, ReapsAChildWithItsStatus) {
  Supervisor supervisor(nullptr, std::chrono::milliseconds(0));
  Pipe events;
  const pid_t pid = supervisor.fork(events, 7);
  if (pid == 0) ::_exit(3);
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(events.write.open());  // the parent keeps only the read end, in children()
  ASSERT_EQ(supervisor.children().size(), 1u);
  EXPECT_EQ(supervisor.children().front().number, 7);
  std::string how;
  supervisor.reap(
      [&](Child& child, int status) {
        EXPECT_EQ(child.pid, pid);
        how = describe_exit(status);
      },
      /*block=*/true);
  EXPECT_EQ(how, "exited with status 3");
  EXPECT_TRUE(supervisor.children().empty());
}

TEST(Supervisor, KillsAChildStillThereAfterGracefulTimeout) {
  Supervisor supervisor(nullptr, std::chrono::milliseconds(20));
  Pipe events;
  const pid_t pid = supervisor.fork(events);
  if (pid == 0) {
    for (;;) ::pause();  // a worker stuck with a client
  }
  ASSERT_GT(pid, 0);
  supervisor.stop();
  EXPECT_TRUE(supervisor.stopping());
  supervisor.kill_stragglers();  // too soon: nothing happens
  std::vector<pollfd> nothing;
  EXPECT_EQ(supervisor.wait(nothing, 50), 0);
  supervisor.reap([](Child&, int) { ADD_FAILURE() << "reaped before it was killed"; });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  supervisor.kill_stragglers();
  std::string how;
  supervisor.reap([&](Child&, int status) { how = describe_exit(status); }, /*block=*/true);
  EXPECT_EQ(how.rfind("was killed by signal 9", 0), 0u) << how;
}

}  // namespace
}  // namespace reqtrace::server
