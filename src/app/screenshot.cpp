#include "app/screenshot.hpp"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <cstring>

namespace reqtrace::app {

OffscreenFrame::OffscreenFrame(int width, int height) : width_(width), height_(height) {
  glGenFramebuffers(1, &framebuffer_);
  glGenRenderbuffers(1, &colour_);
  glBindRenderbuffer(GL_RENDERBUFFER, colour_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
  complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

OffscreenFrame::~OffscreenFrame() {
  glDeleteRenderbuffers(1, &colour_);
  glDeleteFramebuffers(1, &framebuffer_);
}

void OffscreenFrame::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
}

void OffscreenFrame::unbind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

std::vector<std::uint8_t> OffscreenFrame::read_rgba() const {
  const auto row = static_cast<std::size_t>(width_) * 4;
  std::vector<std::uint8_t> pixels(row * static_cast<std::size_t>(height_));
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  // OpenGL's first row is the bottom one; a PNG's is the top.
  std::vector<std::uint8_t> swap(row);
  for (int y = 0; y < height_ / 2; ++y) {
    std::uint8_t* top = pixels.data() + static_cast<std::size_t>(y) * row;
    std::uint8_t* bottom = pixels.data() + static_cast<std::size_t>(height_ - 1 - y) * row;
    std::memcpy(swap.data(), top, row);
    std::memcpy(top, bottom, row);
    std::memcpy(bottom, swap.data(), row);
  }
  // The frame is opaque; keep the file so, whatever blending left in alpha.
  for (std::size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
  return pixels;
}

bool write_png(const std::filesystem::path& path, int width, int height,
               const std::vector<std::uint8_t>& rgba, std::string& error) {
  if (!stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4)) {
    error = path.string() + ": cannot write the PNG (does the folder exist and is it writable?)";
    return false;
  }
  return true;
}

}  // namespace reqtrace::app
