// jianping — the hall pad (评价器): follows the window's screen over server-sent events
// (/pad/events) and reloads /pad when it changes. Without this file every screen refreshes
// itself (<noscript> meta refresh), only more slowly.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("pad-screen");
  if (!el) return;
  const clock = document.getElementById("pad-clock");
  if (clock) {
    const tick = () => {
      clock.textContent = new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false });
    };
    tick();
    setInterval(tick, 10000);
  }
  if (!window.EventSource) return;
  const shown = el.dataset.screen === "rate" ? "rate:" + el.dataset.seq : el.dataset.screen;
  const events = new EventSource("/pad/events");
  events.addEventListener("screen", (ev) => {
    let s;
    try {
      s = JSON.parse(ev.data);
    } catch (_) {
      return;
    }
    const now = s.screen === "rate" ? "rate:" + s.seq : "idle";
    // The thank-you page returns to idle by itself; only a new case cuts it short.
    if (shown === "thanks" && now === "idle") return;
    if (now !== shown) {
      events.close();
      window.location.replace("/pad");
    }
  });
});
