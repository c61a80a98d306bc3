// Contact console: live results, keyboard-first. Works without this file too.
// Key map (documented on the page): ↓/↑ move, Enter details, a add, s send (goes to the
// caller's phone or email, taken at the start of the call; Enter there sends), c copy,
// / search box, Esc back to results, n new call.
const DEBOUNCE_MS = 120;
const SETTLED_MS = 1500;

const box = document.getElementById("console-q");
const resultsEl = document.getElementById("console-results");
const detailsEl = document.getElementById("console-details");
const pickedEl = document.getElementById("console-picked");
const sendForm = document.getElementById("send-form");
const sendTo = document.getElementById("send-to");
const sendStatus = document.getElementById("send-status");
const sendError = document.getElementById("send-error");
const sendErrorText = document.getElementById("send-error-text");
const notesForm = document.getElementById("notes-form");
const notesGroup = document.getElementById("notes-group");
const notesText = document.getElementById("notes-text");
const notesStatus = document.getElementById("notes-status");
const newCallForm = document.getElementById("new-call-form");
const csrf = sendForm.querySelector("input[name=csrfmiddlewaretoken]").value;

let timer = null;
let settledTimer = null;
let controller = null;
let active = -1;
let inflight = null;

const links = () => Array.from(resultsEl.querySelectorAll(".console-result__link"));

function setQuery(q) {
  for (const input of document.querySelectorAll("input[name=q][type=hidden]")) input.value = q;
}

function highlight(index, focus = true) {
  const all = links();
  if (!all.length) return;
  active = Math.max(0, Math.min(all.length - 1, index));
  all.forEach((link, i) => link.closest(".console-result").classList.toggle("console-result--active", i === active));
  if (focus) all[active].focus();
  const id = all[active].dataset.pageId;
  document.getElementById("send-page-id").value = id;
  document.getElementById("notes-page-id").value = id;
}

function currentId() {
  const all = links();
  return active >= 0 && all[active] ? all[active].dataset.pageId : "";
}

function loadResults(settled = false) {
  const promise = fetchResults(settled);
  if (!settled) inflight = promise;
  return promise;
}

async function fetchResults(settled) {
  const q = box.value;
  setQuery(q);
  if (controller) controller.abort();
  controller = new AbortController();
  // The query goes in the POST body, never the URL: URLs end up in access logs.
  const body = new URLSearchParams({ q, csrfmiddlewaretoken: csrf });
  if (settled) body.set("settled", "1");
  try {
    resultsEl.setAttribute("aria-busy", "true");
    const response = await fetch("/console/results/", {
      method: "POST",
      body,
      signal: controller.signal,
      headers: { Accept: "text/html" },
    });
    if (!response.ok) return;
    const html = await response.text();
    if (settled) return; // the settled request only logs a gap; results are already shown
    resultsEl.innerHTML = html;
    active = -1;
  } catch (error) {
    if (error.name !== "AbortError") throw error;
  } finally {
    resultsEl.setAttribute("aria-busy", "false");
  }
}

box.addEventListener("input", () => {
  clearTimeout(timer);
  clearTimeout(settledTimer);
  timer = setTimeout(() => loadResults(false), DEBOUNCE_MS);
  settledTimer = setTimeout(() => {
    const inner = document.getElementById("results-inner");
    if (inner && inner.dataset.gap === "1") loadResults(true);
  }, SETTLED_MS);
});

async function post(url, data) {
  const body = new URLSearchParams(data);
  body.set("csrfmiddlewaretoken", csrf);
  body.set("q", box.value);
  const response = await fetch(url, { method: "POST", body, headers: { Accept: "application/json" } });
  return { status: response.status, json: await response.json() };
}

async function openDetails() {
  const id = currentId();
  if (!id) return;
  const body = new URLSearchParams({ q: box.value, csrfmiddlewaretoken: csrf });
  const response = await fetch(`/console/details/${id}/`, { method: "POST", body });
  if (response.ok) detailsEl.innerHTML = await response.text();
}

async function addCurrent() {
  const id = currentId();
  if (!id) return;
  const { json } = await post("/console/pick/", { page_id: id });
  if (json.ok) {
    pickedEl.innerHTML = json.html;
    const item = links()[active].closest(".console-result");
    if (!item.querySelector(".console-result__picked")) {
      const tag = document.createElement("strong");
      tag.className = "govuk-tag govuk-tag--green console-result__picked";
      tag.textContent = "On list";
      links()[active].after(" ", tag);
    }
  }
}

function showSendError(message) {
  sendErrorText.textContent = message;
  sendError.hidden = !message;
  document.getElementById("send-to-group").classList.toggle("govuk-form-group--error", !!message);
  sendTo.classList.toggle("govuk-input--error", !!message);
}

sendForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  sendStatus.textContent = "";
  const data = Object.fromEntries(new FormData(sendForm)); // includes #send-to (form="send-form")
  const { json } = await post(sendForm.action, data);
  if (!json.ok) {
    showSendError(json.error);
    sendTo.focus();
    return;
  }
  showSendError("");
  sendTo.value = ""; // the address is not kept, not even in the page
  sendStatus.textContent = json.message;
});

notesForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  await copyNotes();
});

async function copyNotes() {
  const { json } = await post(notesForm.action, { page_id: currentId() || document.getElementById("notes-page-id").value });
  if (!json.ok) {
    notesStatus.textContent = json.error;
    return;
  }
  notesGroup.hidden = false;
  notesText.value = json.text;
  try {
    await navigator.clipboard.writeText(json.text);
    notesStatus.textContent = "Copied. Paste it into the case notes.";
  } catch {
    notesText.select();
    notesStatus.textContent = "Select the text and copy it (Ctrl+C).";
  }
}

function newCall() {
  if (window.confirm("Start a new call? This clears the caller's list and search.")) newCallForm.submit();
}

newCallForm.addEventListener("submit", (event) => {
  if (!event.submitter) return; // called from newCall() after confirming
  event.preventDefault();
  newCall();
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const onResult = target.classList && target.classList.contains("console-result__link");
  if (target === box) {
    if (event.key === "ArrowDown" || event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      // Enter, or ↓ before the debounce fired: fetch now, then move into the results.
      const pending = box.value !== (document.querySelector("input[name=q][type=hidden]") || {}).value;
      (pending ? loadResults(false) : inflight || Promise.resolve()).then(() => highlight(0));
    }
    return;
  }
  if (target === sendTo && event.key === "Escape") {
    event.preventDefault();
    highlight(active < 0 ? 0 : active);
    return;
  }
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable;
  if (typing) return;
  switch (event.key) {
    case "ArrowDown":
      if (onResult) { event.preventDefault(); highlight(active + 1); }
      break;
    case "ArrowUp":
      if (onResult) {
        event.preventDefault();
        if (active <= 0) box.focus(); else highlight(active - 1);
      }
      break;
    case "Enter":
      if (onResult) { event.preventDefault(); openDetails(); }
      break;
    case "a":
      if (onResult) { event.preventDefault(); addCurrent(); }
      break;
    case "s":
      event.preventDefault();
      sendTo.focus();
      break;
    case "c":
      event.preventDefault();
      copyNotes();
      break;
    case "/":
      event.preventDefault();
      box.focus();
      box.select();
      break;
    case "n":
      event.preventDefault();
      newCall();
      break;
    default:
  }
});

resultsEl.addEventListener("click", (event) => {
  const link = event.target.closest(".console-result__link");
  if (!link) return;
  event.preventDefault();
  highlight(links().indexOf(link));
  openDetails();
});

// Keep the highlighted row in step when a result gets focus by Tab.
resultsEl.addEventListener("focusin", (event) => {
  const all = links();
  const index = all.indexOf(event.target);
  if (index >= 0 && index !== active) highlight(index, false);
});
