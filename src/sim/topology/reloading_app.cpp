#include "sim/topology/reloading_app.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::topology {
namespace {

// The app's body, holding the app it came from alive until the server is done with it: a reload
// meanwhile does not pull the code out from under a response still being sent.
class Holding : public wsgi::ResponseIterable {
 public:
  Holding(std::unique_ptr<wsgi::ResponseIterable> body, std::shared_ptr<wsgi::Application> app)
      : app_(std::move(app)), body_(std::move(body)) {}
  ~Holding() override { body_.reset(); }  // the body goes before its app
  std::optional<std::string> next() override { return body_->next(); }
  void close() override { body_->close(); }
  std::optional<std::size_t> known_length() const override { return body_->known_length(); }
  std::optional<std::string> body_if_known() const override { return body_->body_if_known(); }

 private:
  std::shared_ptr<wsgi::Application> app_;
  std::unique_ptr<wsgi::ResponseIterable> body_;
};

}  // namespace

ReloadingApp::ReloadingApp(server::AppFactory make_app, const std::filesystem::path& file,
                           trace::Emitter app_voice, trace::Emitter server_voice)
    : make_app_(std::move(make_app)),
      app_voice_(std::move(app_voice)),
      server_voice_(std::move(server_voice)),
      watch_(file),
      app_(make_app_(app_voice_)) {}

std::shared_ptr<wsgi::Application> ReloadingApp::current() {
  std::lock_guard lock(mutex_);
  if (!watch_.changed()) return app_;
  const std::string file = watch_.file().filename().string();
  server_voice_(trace::Phase::Boot, 0, trace::kOverview,
                "The app's file " + file +
                    " changed: the server imports it again before this request, in the same "
                    "process (Werkzeug's reloader would restart the process)",
                {}, {{"file", watch_.file().string()}});
  server::forget_bytecode(watch_.file());
  try {
    app_ = make_app_(app_voice_);
  } catch (const std::exception& failure) {
    // The old code keeps serving until the file imports again.
    server_voice_(
        trace::Phase::Error, 0, trace::kOverview,
        "The new " + file + " does not import, so the old code keeps serving: " + failure.what(),
        {}, {{"file", watch_.file().string()}, {"error", failure.what()}});
  }
  return app_;
}

std::unique_ptr<wsgi::ResponseIterable> ReloadingApp::operator()(
    wsgi::Environ& environ, wsgi::StartResponse& start_response) {
  std::shared_ptr<wsgi::Application> app = current();
  auto body = (*app)(environ, start_response);
  if (!body) return body;
  return std::make_unique<Holding>(std::move(body), std::move(app));
}

}  // namespace reqtrace::topology
