// jianping — small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before irreversible steps: <button data-confirm="确定销号？">.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
  // A form submits once: the button shows that the work is under way.
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", () => {
      // After the browser has gathered the form's data, which a disabled button would leave out.
      setTimeout(() => {
        form.querySelectorAll("button[type=submit]").forEach((b) => {
          b.disabled = true;
          if (b.dataset.busy) b.textContent = b.dataset.busy;
        });
      }, 0);
    });
  });
});
