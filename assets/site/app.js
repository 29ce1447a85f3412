// Served by the proxy from static_root; in a real browser it asks the app for live data.
async function showStats() {
  const answer = await fetch("/api/stats");
  const stats = await answer.json();
  document.getElementById("stats").textContent =
      stats.visitors + " visitors, served by " + stats.server;
}
document.addEventListener("DOMContentLoaded", showStats);
