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

// Drafts: a form marked `data-draft` keeps what is typed in this browser as it is typed, so
// a closed tab, a lost connection or an expired session loses nothing. The draft is put
// back into the form when it is opened again, and dropped once the server has taken it
// (the next page no longer shows the form).
const DRAFT_PREFIX = "dream-draft:";
const SKIPPED = new Set(["csrf", "revision", "form_token", "password", "repeat"]);

function draftFields(form) {
  return [...form.elements].filter((f) => f.name && !SKIPPED.has(f.name) && f.type !== "hidden");
}

function saveDraft(form) {
  const values = {};
  for (const field of draftFields(form)) values[field.name] = field.value;
  try {
    localStorage.setItem(DRAFT_PREFIX + form.dataset.draft, JSON.stringify(values));
  } catch {
    // A full or forbidden storage only means no draft is kept.
  }
}

/** The value a field had when the page arrived. */
function initialValue(field) {
  if (field instanceof HTMLSelectElement) {
    const chosen = [...field.options].find((option) => option.defaultSelected);
    return (chosen ?? field.options[0])?.value ?? "";
  }
  return field.defaultValue;
}

function restoreDraft(form) {
  let values;
  try {
    values = JSON.parse(localStorage.getItem(DRAFT_PREFIX + form.dataset.draft) ?? "null");
  } catch {
    values = null;
  }
  if (!values) return;
  let restored = false;
  for (const field of draftFields(form)) {
    const saved = values[field.name];
    // What the server sent back with a refused form is what was typed; it stays.
    if (saved !== undefined && field.value === initialValue(field) && saved !== field.value) {
      field.value = saved;
      restored = true;
    }
  }
  if (restored) {
    const note = document.createElement("p");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    note.textContent = document.documentElement.lang === "en"
      ? "Your unsaved draft from this browser is back in the form."
      : "Незбережену чернетку з цього браузера повернуто у форму.";
    form.prepend(note);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const pending = sessionStorage.getItem("dream-draft-pending");
  const forms = [...document.querySelectorAll("form[data-draft]")];
  if (pending && !forms.some((form) => form.dataset.draft === pending)) {
    localStorage.removeItem(DRAFT_PREFIX + pending);
  }
  sessionStorage.removeItem("dream-draft-pending");
  for (const form of forms) {
    restoreDraft(form);
    form.addEventListener("input", () => saveDraft(form));
    form.addEventListener("submit", () => {
      saveDraft(form);
      sessionStorage.setItem("dream-draft-pending", form.dataset.draft);
    });
  }
});
