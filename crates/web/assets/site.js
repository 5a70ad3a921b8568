// Enhancements of the public pages; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    // A filter form sends itself when a choice changes, so a reader need not find the button.
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => {
        // A new oblast makes the chosen raion and hromada meaningless.
        if (select.name === "oblast") {
          for (const name of ["raion", "hromada"]) {
            const inner = form.elements.namedItem(name);
            if (inner) inner.value = "";
          }
        }
        form.requestSubmit();
      });
    }
    // Empty fields stay out of the address, so a shared link shows only the chosen filters.
    form.addEventListener("submit", () => {
      for (const field of form.querySelectorAll("input, select")) {
        if (field.name && field.value === "") field.disabled = true;
      }
    });
  }
});

// A page restored from the back-forward cache gets its fields back.
window.addEventListener("pageshow", () => {
  for (const field of document.querySelectorAll("form[data-autosubmit] [disabled]")) {
    field.disabled = false;
  }
});
