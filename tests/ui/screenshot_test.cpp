// Real frames of the viewer under Xvfb, checked pixel by pixel: the current
// row's highlight sits where the step says, the lit box follows the actor, the
// themes and the font scale change what they should, bad input is shown.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace reqtrace::testing {
namespace {

namespace fs = std::filesystem;

// Colours from src/ui/theme.cpp that mark something on screen.
struct Rgb {
  int r, g, b;
};
constexpr Rgb kDarkRowMarker{255, 140, 26};
constexpr Rgb kDarkLitBox{236, 100, 200};
constexpr Rgb kDarkProblem{150, 40, 40};
constexpr Rgb kDarkWait{255, 170, 30};
constexpr Rgb kLightRowMarker{230, 110, 0};
constexpr Rgb kContrastRowMarker{255, 255, 0};

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  Rgb at(int x, int y) const {
    const unsigned char* p = &rgb[(static_cast<std::size_t>(y) * width + x) * 3];
    return {p[0], p[1], p[2]};
  }
};

// Where a colour is on screen: its bounding box and how many pixels have it.
struct Found {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
  long pixels = 0;
  bool any() const { return pixels > 0; }
  int height() const { return y1 - y0 + 1; }
  double centre_x() const { return (x0 + x1) / 2.0; }
};

Found find(const Image& image, Rgb colour, int x_from = 0, int x_to = -1) {
  Found found;
  if (x_to < 0) x_to = image.width;
  for (int y = 0; y < image.height; ++y)
    for (int x = x_from; x < x_to; ++x) {
      const Rgb pixel = image.at(x, y);
      if (std::abs(pixel.r - colour.r) > 2 || std::abs(pixel.g - colour.g) > 2 ||
          std::abs(pixel.b - colour.b) > 2)
        continue;
      ++found.pixels;
      found.x0 = std::min(found.x0, x);
      found.x1 = std::max(found.x1, x);
      found.y0 = std::min(found.y0, y);
      found.y1 = std::max(found.y1, y);
    }
  return found;
}

struct Shot {
  Finished run;
  Image image;
};

bool have_xvfb() {
  return run_process({"sh", "-c", "command -v Xvfb"}).exit_code == 0;
}

// One X server for the whole test program, on a display it picks itself (-displayfd): tests
// run side by side never race for a display number, as xvfb-run -a's do (both see the same
// free number), and a quick shot never meets xvfb-run's clean-up racing its own server
// ("problem while cleaning up temporary directory", exit 5).
const std::string& virtual_display() {
  struct Display {
    Display()
        : server({"Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"}) {
      const std::string number = server.read_line(20000);
      if (!number.empty()) name = ":" + number;
    }
    Background server;
    std::string name;
  };
  static Display display;
  return display.name;
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("reqtrace-ui-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// `reqtrace gui ARGS --screenshot OUT.png` on the virtual X server, and the PNG it wrote.
Shot shoot(std::vector<std::string> args) {
  static int counter = 0;
  const fs::path out = scratch("shot-" + std::to_string(++counter) + ".png");
  std::vector<std::string> argv = {"env", "DISPLAY=" + virtual_display(), REQTRACE_BINARY, "gui"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--screenshot", out.string()});
  Shot shot;
  shot.run = run_process(argv);
  int channels = 0;
  if (unsigned char* pixels =
          stbi_load(out.c_str(), &shot.image.width, &shot.image.height, &channels, 3)) {
    shot.image.rgb.assign(
        pixels, pixels + static_cast<std::size_t>(shot.image.width) * shot.image.height * 3);
    stbi_image_free(pixels);
  }
  return shot;
}

const std::string kHello = REQTRACE_UI_TEST_DATA "/hello-wsgi.jsonl";

class Screenshot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_xvfb()) GTEST_SKIP() << "Xvfb is not installed";
    ASSERT_FALSE(virtual_display().empty()) << "Xvfb did not say which display it took";
  }
};

TEST_F(Screenshot, TheCurrentRowIsHighlightedWhereTheStepSays) {
  std::vector<Found> markers;
  for (int step : {1, 2, 3, 6}) {
    Shot shot = shoot({kHello, "--step", std::to_string(step)});
    ASSERT_EQ(shot.run.exit_code, 0) << shot.run.err;
    ASSERT_EQ(shot.image.width, 1280);
    ASSERT_EQ(shot.image.height, 720);
    // The steps table is the left part of the window; its current row has the marker strip.
    markers.push_back(find(shot.image, kDarkRowMarker, 0, 40));
    ASSERT_TRUE(markers.back().any()) << "no current-row marker at step " << step;
  }
  const int row = markers[1].y0 - markers[0].y0;
  EXPECT_GT(row, 15);
  EXPECT_LT(row, 45);
  EXPECT_NEAR(markers[0].height(), row, 2);       // the strip is one row high
  EXPECT_EQ(markers[2].y0 - markers[1].y0, row);  // and moves one row per step
  EXPECT_EQ(markers[3].y0 - markers[0].y0, 5 * row);
}

TEST_F(Screenshot, ALongTableKeepsTheCurrentRowInView) {
  Shot first = shoot({kHello, "--level", "3", "--step", "1"});
  Shot last = shoot({kHello, "--level", "3", "--step", "23"});
  ASSERT_EQ(last.run.exit_code, 0) << last.run.err;
  const Found top = find(first.image, kDarkRowMarker, 0, 40);
  const Found bottom = find(last.image, kDarkRowMarker, 0, 40);
  ASSERT_TRUE(top.any());
  ASSERT_TRUE(bottom.any()) << "step 23 of 23 was scrolled out of view";
  EXPECT_GT(bottom.y0, top.y0);
  // Twenty-three rows do not fit the pane at 1280×720: the table scrolled to show the last.
  EXPECT_LT(bottom.y0 - top.y0, 22 * top.height());
}

TEST_F(Screenshot, TheLitBoxIsTheActorOfTheStep) {
  // Level 3: step 1 is the server listening, step 10 is Flask.__call__ in the app,
  // the last step the browser receiving (hello-wsgi.jsonl, recorded).
  const Found server = find(shoot({kHello, "--level", "3", "--step", "1"}).image, kDarkLitBox);
  const Found app = find(shoot({kHello, "--level", "3", "--step", "10"}).image, kDarkLitBox);
  const Found browser = find(shoot({kHello, "--level", "3", "--step", "22"}).image, kDarkLitBox);
  ASSERT_TRUE(server.any());
  ASSERT_TRUE(app.any());
  ASSERT_TRUE(browser.any());
  EXPECT_LT(browser.centre_x(), server.centre_x());
  EXPECT_LT(server.centre_x(), app.centre_x());
}

double bright_share(const Image& image) {
  long bright = 0;
  for (int y = 0; y < image.height; y += 4)
    for (int x = 0; x < image.width; x += 4) {
      const Rgb p = image.at(x, y);
      if (p.r + p.g + p.b > 600) ++bright;
    }
  const int sampled = (image.height / 4) * (image.width / 4);
  return static_cast<double>(bright) / sampled;
}

TEST_F(Screenshot, AGilWaitIsABarAsLongAsTheWait) {
  // hello-wsgi's trace (17.98 ms to 18.94 ms) and a thread that waited for the GIL from 18.2 ms
  // to 18.8 ms: most of the request, so a bar across most of the timeline.
  const fs::path trace = scratch("gil-wait.jsonl");
  {
    std::ifstream hello(kHello);
    std::ofstream out(trace);
    out << hello.rdbuf();
    out << R"({"seq":23,"t_ns":18800000,"pid":13503,"tid":3,"actor":"worker",)"
        << R"("lane":"worker-1/thread-1","phase":"gil_wait","req":1,"level":2,)"
        << R"("msg":"This thread waited 0.6 ms for the GIL","vars":{},)"
        << R"("data":{"wait_began_t_ns":18200000,"waited_ns":600000}})"
        << "\n";
  }
  const Shot shot = shoot({trace.string(), "--level", "2"});
  ASSERT_EQ(shot.run.exit_code, 0) << shot.run.err;
  const Found wait = find(shot.image, kDarkWait);
  ASSERT_TRUE(wait.any());
  const Found without = find(shoot({kHello, "--level", "2"}).image, kDarkWait);
  EXPECT_FALSE(without.any());
  // 0.6 ms of the trace's 0.96 ms: well over a third of the window's width.
  EXPECT_GT(wait.x1 - wait.x0, shot.image.width / 4) << wait.x0 << ".." << wait.x1;
}

TEST_F(Screenshot, ThemesForAProjector) {
  Shot dark = shoot({kHello, "--step", "2"});
  Shot light = shoot({kHello, "--step", "2", "--theme", "light"});
  Shot contrast = shoot({kHello, "--step", "2", "--theme", "contrast"});
  ASSERT_EQ(light.run.exit_code, 0) << light.run.err;
  EXPECT_LT(bright_share(dark.image), 0.1);
  EXPECT_GT(bright_share(light.image), 0.6);
  EXPECT_TRUE(find(light.image, kLightRowMarker, 0, 40).any());
  EXPECT_TRUE(find(contrast.image, kContrastRowMarker, 0, 40).any());
  // High contrast: a black background, white text.
  EXPECT_EQ(contrast.image.at(contrast.image.width - 3, contrast.image.height - 3).r, 0);
}

TEST_F(Screenshot, FontScaleReflowsThePanes) {
  const Found normal = find(shoot({kHello, "--step", "2"}).image, kDarkRowMarker, 0, 40);
  Shot big = shoot({kHello, "--step", "2", "--font-scale", "2", "--size", "1920x1080"});
  ASSERT_EQ(big.run.exit_code, 0) << big.run.err;
  ASSERT_EQ(big.image.width, 1920);
  const Found doubled = find(big.image, kDarkRowMarker, 0, 60);
  ASSERT_TRUE(doubled.any());
  EXPECT_NEAR(doubled.height(), 2 * normal.height(), normal.height() * 0.25);
}

TEST_F(Screenshot, FourKAtThreeTimesTheText) {
  Shot shot = shoot({kHello, "--step", "3", "--size", "3840x2160", "--font-scale", "3"});
  ASSERT_EQ(shot.run.exit_code, 0) << shot.run.err;
  ASSERT_EQ(shot.image.width, 3840);
  ASSERT_EQ(shot.image.height, 2160);
  EXPECT_TRUE(find(shot.image, kDarkRowMarker, 0, 100).any());
}

TEST_F(Screenshot, AScenarioRunsLiveAndItsStepsArrive) {
  Shot shot = shoot({"hello-wsgi", "--step", "3"});
  ASSERT_EQ(shot.run.exit_code, 0) << shot.run.err;
  EXPECT_TRUE(find(shot.image, kDarkRowMarker, 0, 40).any());
  EXPECT_TRUE(find(shot.image, kDarkLitBox).any());
}

// gui --wsgi: a student's own Flask file, run live in the your-app lesson.
TEST_F(Screenshot, AStudentsRealAppRunsLive) {
  const fs::path app = scratch("student_app.py");
  std::ofstream(app) << "from flask import Flask\napp = Flask(__name__)\n\n"
                        "@app.route('/')\ndef home():\n    return 'mine'\n";
  Shot shot = shoot({"--wsgi", app.string(), "--step", "3"});
  ASSERT_EQ(shot.run.exit_code, 0) << shot.run.err;
  EXPECT_TRUE(find(shot.image, kDarkRowMarker, 0, 40).any());
  EXPECT_TRUE(find(shot.image, kDarkLitBox).any());
  // A file that is not there is bad input, named, before any window work.
  Shot missing = shoot({"--wsgi", scratch("nowhere.py").string()});
  EXPECT_EQ(missing.run.exit_code, 2);
  EXPECT_NE(missing.run.err.find("nowhere.py"), std::string::npos) << missing.run.err;
}

TEST_F(Screenshot, ABadFileIsShownInTheWindowAndExitsTwo) {
  const fs::path bad = scratch("newer.jsonl");
  std::ofstream(bad) << R"({"format":"reqtrace-trace","version":99,"scenario":{}})"
                     << "\n";
  Shot shot = shoot({bad.string()});
  EXPECT_EQ(shot.run.exit_code, 2);
  EXPECT_NE(shot.run.err.find(bad.string()), std::string::npos) << shot.run.err;
  EXPECT_NE(shot.run.err.find("newer"), std::string::npos) << shot.run.err;
  ASSERT_EQ(shot.image.width, 1280) << "the window with the message was not saved";
  const Found banner = find(shot.image, kDarkProblem);
  EXPECT_GT(banner.pixels, 1280L * 20);  // a full-width banner, not a speck
}

TEST_F(Screenshot, AStepOutOfRangeIsBadInput) {
  Shot shot = shoot({kHello, "--step", "99"});
  EXPECT_EQ(shot.run.exit_code, 2);
  EXPECT_NE(shot.run.err.find("6 steps at level 1"), std::string::npos) << shot.run.err;
}

TEST(GuiCommand, BadOptionsNameWhatWasExpected) {
  auto size = run_process({REQTRACE_BINARY, "gui", kHello, "--size", "huge"});
  EXPECT_EQ(size.exit_code, 2);
  EXPECT_NE(size.err.find("WIDTHxHEIGHT"), std::string::npos);
  auto theme = run_process({REQTRACE_BINARY, "gui", "--theme", "neon"});
  EXPECT_EQ(theme.exit_code, 2);
  EXPECT_NE(theme.err.find("dark, light or contrast"), std::string::npos);
  auto bench = run_process({REQTRACE_BINARY, "gui", "--bench-frames", "10"});
  EXPECT_EQ(bench.exit_code, 2);
}

}  // namespace
}  // namespace reqtrace::testing
