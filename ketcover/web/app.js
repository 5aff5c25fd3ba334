// ketcover's web page: upload PDFs to the local server, show the cited report or the comparison.
// Every address is relative: the page lives under its secret token (127.0.0.1:PORT/TOKEN/).
// Document text is only ever put in the page as text (textContent), never as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 400;
  const BUSY_RETRY_MS = 2000;
  const QUOTES_SHOWN = 4;
  const PASSWORD_CODES = new Set(["PASSWORD_REQUIRED", "PASSWORD_INCORRECT"]);

  let config = { max_upload_bytes: Infinity, version: "" };
  let running = false;
  let lastJobs = [];
  let viewerOpener = null;
  let viewerRequest = 0;

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function getJSON(path) {
    const response = await fetch(path, { cache: "no-store", credentials: "same-origin" });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || `The server answered ${response.status}.`);
    return data;
  }

  function formatMB(bytes) {
    return `${Math.round(bytes / (1024 * 1024))} MB`;
  }

  function showMessage(text) {
    const box = $("message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function planTitle(report, fallback) {
    return (report && (report.title || report.file)) || fallback || "Document";
  }

  // ------------------------------------------------------------------ choosing files

  function setUpDropZone() {
    const zone = $("dropzone");
    const input = $("file-input");
    $("choose").addEventListener("click", () => input.click());
    zone.addEventListener("click", (event) => {
      if (event.target === zone || event.target.tagName === "P") input.click();
    });
    input.addEventListener("change", () => {
      const files = Array.from(input.files || []);
      input.value = "";
      if (files.length) handleFiles(files);
    });
    // A PDF dropped anywhere must not make the browser leave the page to display it.
    for (const type of ["dragover", "drop"]) {
      document.addEventListener(type, (event) => event.preventDefault());
    }
    zone.addEventListener("dragenter", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", (event) => {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
    });
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
      if (files.length) handleFiles(files);
    });
  }

  async function handleFiles(files) {
    if (running) {
      showMessage("Please wait until the current documents are finished.");
      return;
    }
    running = true;
    showMessage("");
    closeViewer();
    $("results").replaceChildren();
    hideCase();
    const list = $("progress-list");
    list.replaceChildren();
    $("progress").hidden = false;
    const rows = files.map((file) => {
      const status = el("span", { class: "progress-status", text: "Waiting" });
      const bar = el("progress", { max: "1", value: "0", "aria-label": `Progress for ${file.name}` });
      const row = el("li", { class: "progress-row" }, el("span", { class: "progress-name", text: file.name }), status, bar);
      list.append(row);
      return { row, status, bar };
    });
    const jobs = [];
    try {
      for (let index = 0; index < files.length; index += 1) {
        jobs.push(await analyzeOne(files[index], rows[index]));
      }
    } finally {
      running = false;
    }
    lastJobs = jobs;
    $("progress").hidden = true;
    $("dropzone").classList.add("compact");
    // A phone cannot drop files: it is told to choose them.
    $("dropzone-title").textContent = window.matchMedia("(pointer: coarse)").matches
      ? "Choose other PDFs to start again" : "Drop other PDFs here to start again";
    if (caseMode()) renderCase(jobs);
    else if (jobs.length === 1) renderReport(jobs[0], false);
    else renderComparison(jobs);
  }

  // ------------------------------------------------------------------ one upload

  async function analyzeOne(file, ui) {
    if (file.size > config.max_upload_bytes) {
      const message = `This file is ${formatMB(file.size)}, larger than the limit of ${formatMB(config.max_upload_bytes)}.`;
      ui.status.textContent = message;
      ui.row.classList.add("failed");
      return { id: null, name: file.name, report: localError(file.name, "TOO_LARGE", message) };
    }
    let password = null;
    for (;;) {
      const job = await upload(file, password, ui);
      if (!job.report) return job;
      const error = job.report.error;
      if (!error || !PASSWORD_CODES.has(error.code)) {
        ui.status.textContent = error ? "Could not be read" : "Done";
        ui.bar.value = 1;
        if (error) ui.row.classList.add("failed");
        return job;
      }
      ui.status.textContent = "Needs a password";
      password = await askPassword(file.name, error.message);
      if (password === null) {
        ui.status.textContent = "Skipped: needs a password";
        ui.row.classList.add("failed");
        return job;
      }
    }
  }

  function localError(file, code, message) {
    return { file, plan_name: null, pages: 0, status: "error", error: { code, message }, warnings: [], concerns: [], costs: [] };
  }

  async function upload(file, password, ui) {
    const headers = { "Content-Type": "application/pdf", "X-Ketcover-Filename": encodeURIComponent(file.name) };
    if (password !== null) headers["X-Ketcover-Password"] = encodeURIComponent(password);
    let job;
    for (;;) {
      ui.status.textContent = "Sending";
      let response;
      try {
        response = await fetch("api/jobs", { method: "POST", body: file, headers, cache: "no-store", credentials: "same-origin" });
      } catch (error) {
        // A server busy with another tab's document may drop a large upload instead of answering 503.
        const state = await getJSON("api/config").catch(() => null);
        if (state && state.busy) {
          ui.status.textContent = "Another document is being analyzed. Waiting…";
          await sleep(BUSY_RETRY_MS);
          continue;
        }
        ui.status.textContent = "The upload failed: the server stopped or refused the file.";
        ui.row.classList.add("failed");
        return { id: null, name: file.name, report: localError(file.name, "UPLOAD_FAILED", ui.status.textContent) };
      }
      const data = await response.json().catch(() => ({}));
      if (response.status === 503 && data.error === "busy") {
        ui.status.textContent = `${data.message} Waiting…`;
        await sleep(BUSY_RETRY_MS);
        continue;
      }
      if (!response.ok) {
        const message = data.message || `The server answered ${response.status}.`;
        ui.status.textContent = message;
        ui.row.classList.add("failed");
        return { id: null, name: file.name, report: localError(file.name, data.error || "UPLOAD_FAILED", message) };
      }
      job = data;
      break;
    }
    ui.status.textContent = "Reading";
    for (;;) {
      const state = await getJSON(`api/jobs/${job.id}`);
      if (state.pages_total) {
        ui.bar.max = state.pages_total;
        ui.bar.value = state.pages_done;
      }
      if (state.state === "done") return { id: state.id, name: state.name, report: state.report };
      ui.status.textContent = state.state === "matching"
        ? "Finding the clauses…"
        : state.pages_total ? `Reading page ${state.pages_done} of ${state.pages_total}` : "Opening the PDF";
      await sleep(POLL_MS);
    }
  }

  function askPassword(fileName, message) {
    const panel = $("password-panel");
    const form = $("password-form");
    const input = $("password-input");
    const skip = $("password-skip");
    $("password-file").textContent = fileName;
    $("password-message").textContent = message;
    input.value = "";
    panel.hidden = false;
    input.focus();
    return new Promise((resolve) => {
      const finish = (value) => {
        form.removeEventListener("submit", onSubmit);
        skip.removeEventListener("click", onSkip);
        input.value = "";
        panel.hidden = true;
        resolve(value);
      };
      const onSubmit = (event) => { event.preventDefault(); finish(input.value); };
      const onSkip = () => finish(null);
      form.addEventListener("submit", onSubmit);
      skip.addEventListener("click", onSkip);
    });
  }

  // ------------------------------------------------------------------ one report

  function downloadLinks(label, links) {
    return el("nav", { class: "downloads", "aria-label": label },
      el("span", { class: "downloads-label", text: `${label}:` }),
      links.map(([text, href]) => el("a", { href, download: "", class: "download", text })));
  }

  function citeButton(job, kind, item, title) {
    const label = item.section ? `Page ${item.page} · ${item.section}` : `Page ${item.page}`;
    return el("button", {
      type: "button",
      class: "cite",
      dataset: { job: job.id, kind, id: String(item.id), page: String(item.page) },
      onclick: (event) => openViewer(job, kind, item, title, event.currentTarget),
    },
    el("span", { class: "cite-page", text: label }),
    item.polarity === "negates" ? el("span", { class: "cite-flag", text: "says it does not apply" }) : null,
    el("q", { class: "cite-quote", text: item.quote }));
  }

  function renderReport(job, fromComparison) {
    const report = job.report;
    const results = $("results");
    const title = planTitle(report, job.name);
    const parts = [];
    if (fromComparison) {
      parts.push(el("button", { type: "button", class: "back", onclick: () => renderComparison(lastJobs), text: "← Back to the comparison" }));
    }
    parts.push(el("h2", { id: "report-title", tabindex: "-1", text: title }));
    const meta = [report.file];
    if (report.pages) meta.push(`${report.pages} page${report.pages === 1 ? "" : "s"}`);
    parts.push(el("p", { class: "meta", text: meta.join(" · ") }));
    if (report.error) {
      parts.push(el("div", { class: "error-box", role: "alert" },
        el("strong", { text: "This file could not be read. " }), report.error.message));
      results.replaceChildren(...parts);
      $("report-title").focus();
      return;
    }
    parts.push(jumpMenu("Jump to a concern", report.concerns.map((concern) => [concern.title, `concern-${concern.concern}`])));
    parts.push(downloadLinks("Download this report", [
      ["HTML", `api/jobs/${job.id}/report.html`],
      ["Markdown", `api/jobs/${job.id}/report.md`],
      ["JSON", `api/jobs/${job.id}/report.json`],
    ]));
    if (report.warnings.length) {
      parts.push(el("div", { class: "warning-box" },
        el("h3", { text: "Before you rely on this report" }),
        el("ul", {}, report.warnings.map((w) => el("li", { text: w.message })))));
    }
    parts.push(el("p", { class: "explain", text: "Each answer is built from quotes of the document. Select a quote to see it highlighted on its page." }));
    const list = el("ol", { class: "concerns" });
    for (const concern of report.concerns) {
      list.append(renderConcern(job, concern, report, title));
    }
    parts.push(list);
    results.replaceChildren(...parts);
    $("report-title").focus();
  }

  // A menu of the concerns, early in the Tab order, so that Appeals is a few keys away, not hundreds.
  // Each link moves the focus to its concern's heading (the first of `targets` that is shown:
  // the comparison has a table row on wide screens and a card on phones).
  function jumpMenu(label, entries) {
    return el("nav", { class: "jump", "aria-label": label },
      el("ul", {}, entries.map(([text, ...targets]) => el("li", {}, el("a", {
        href: `#${targets[0]}`,
        onclick: (event) => {
          const target = targets.map((id) => $(id)).find((node) => node && node.offsetParent !== null);
          if (!target) return;
          event.preventDefault();
          const heading = target.matches("h3, th") ? target : target.querySelector("h3, th") || target;
          if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
          heading.scrollIntoView({ block: "start", inline: "nearest" });
          history.replaceState(null, "", `#${target.id}`);
        },
        text,
      })))));
  }

  function renderConcern(job, concern, report, title) {
    const item = el("li", { class: `concern status-${concern.status}`, id: `concern-${concern.concern}`, dataset: { concern: concern.concern } });
    item.append(
      el("h3", { text: concern.question, tabindex: "-1" }),
      el("p", { class: "status-badge", text: concern.status_label }),
      el("p", { class: "answer", text: concern.answer }),
    );
    if (concern.concern === "mental_health_coverage" && report.costs.length) {
      item.append(el("ul", { class: "costs" }, report.costs.map((cost) => el("li", {},
        el("span", { class: "cost-item", text: `${cost.label}: ` }),
        el("strong", { text: cost.value }), " ",
        el("button", {
          type: "button",
          class: "cite-small",
          title: cost.quote,
          "aria-label": `p. ${cost.page}: ${cost.quote}`,  // starts with the visible text, so voice control can say it
          dataset: { job: job.id, kind: "costs", id: String(cost.id), page: String(cost.page) },
          onclick: (event) => openViewer(job, "costs", cost, title, event.currentTarget),
          text: `p. ${cost.page}`,
        })))));
    }
    if (concern.findings.length) {
      const quotes = concern.findings.map((finding) => el("li", {}, citeButton(job, "findings", finding, title)));
      item.append(el("ul", { class: "quotes" }, quotes.slice(0, QUOTES_SHOWN)));
      if (quotes.length > QUOTES_SHOWN) {
        const more = quotes.length - QUOTES_SHOWN;
        item.append(el("details", { class: "more" },
          el("summary", { text: `Show ${more} more quote${more === 1 ? "" : "s"}` }),
          el("ul", { class: "quotes" }, quotes.slice(QUOTES_SHOWN))));
      }
    }
    return item;
  }

  // ------------------------------------------------------------------ comparison

  async function renderComparison(jobs) {
    const results = $("results");
    const onServer = jobs.filter((job) => job.id);
    const failed = jobs.filter((job) => !job.id);
    if (onServer.length < 2) {
      // Only one document reached the server: its report, with a note on the others.
      if (onServer.length === 1) renderReport(onServer[0], false);
      else results.replaceChildren(el("h2", { id: "report-title", tabindex: "-1", text: "No document could be read" }));
      if (failed.length) results.prepend(failedNote(failed));
      return;
    }
    const ids = onServer.map((job) => job.id).join(",");
    let view;
    try {
      view = await getJSON(`api/comparison?jobs=${ids}`);
    } catch (error) {
      showMessage(`The comparison could not be made: ${error.message}`);
      return;
    }
    const byId = new Map(onServer.map((job) => [job.id, job]));
    const parts = [el("h2", { id: "report-title", tabindex: "-1", text: `Comparing ${view.plans.length} documents` })];
    if (failed.length) parts.push(failedNote(failed));
    parts.push(downloadLinks("Download the comparison", [
      ["CSV", `api/comparison.csv?jobs=${ids}`],
      ["HTML", `api/comparison.html?jobs=${ids}`],
      ["Markdown", `api/comparison.md?jobs=${ids}`],
      ["JSON", `api/comparison.json?jobs=${ids}`],
    ]));
    parts.push(el("p", { class: "explain", text: "One column (on a phone, one card) per document. Select a page number to see the quote behind the answer highlighted on that page." }));
    // Jump targets: the row's heading in the table (wide screens), its section of cards (phones).
    const firstCost = view.rows.find((row) => row.kind === "cost");
    const jumps = view.rows.filter((row) => row.kind !== "cost" || row === firstCost)
      .map((row) => [row.kind === "cost" ? "Costs" : row.title, `row-${row.key}`, `cards-${row.key}`]);
    parts.push(jumpMenu("Jump to a question", jumps));
    const head = el("tr", {}, el("th", { scope: "col", text: "Question" }),
      view.plans.map((plan) => el("th", { scope: "col" }, plan.name,
        plan.name !== plan.file ? el("span", { class: "th-file", text: plan.file }) : null)));
    const body = view.rows.map((row) => el("tr", { class: `row-${row.kind}`, dataset: { row: row.key } },
      el("th", { scope: "row", id: `row-${row.key}`, tabindex: "-1", text: row.question }),
      row.cells.map((cell, index) => comparisonCell(byId.get(view.plans[index].job), view.plans[index], cell))));
    const table = el("table", { class: "comparison" }, el("thead", {}, head), el("tbody", {}, body));
    // Every plan column keeps a readable width (14rem); more plans scroll sideways, never squeeze.
    table.style.width = `max(100%, ${12 + 14 * view.plans.length}rem)`;
    parts.push(el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Comparison table (scrolls both ways; the plan names stay at the top)" }, table));
    // On a phone: for each question, one card per plan (style.css shows these instead of the table).
    parts.push(el("div", { class: "cards" }, view.rows.map((row) => el("section", {
      class: `card-group row-${row.kind}`, id: `cards-${row.key}`, "aria-labelledby": `cards-${row.key}-title`,
    },
    el("h3", { id: `cards-${row.key}-title`, tabindex: "-1", text: row.question }),
    el("ul", { class: "card-list" }, row.cells.map((cell, index) => el("li", { class: "card" },
      el("h4", { text: view.plans[index].name }),
      comparisonCell(byId.get(view.plans[index].job), view.plans[index], cell, "div"))))))));
    parts.push(el("h3", { text: "Full reports" }));
    parts.push(el("ul", { class: "report-links" }, onServer.map((job) => el("li", {},
      el("button", { type: "button", class: "link-button", onclick: () => renderReport(job, true), text: planTitle(job.report, job.name) })))));
    results.replaceChildren(...parts);
    $("report-title").focus();
  }

  function failedNote(jobs) {
    return el("div", { class: "error-box", role: "alert" },
      el("strong", { text: "Not included: " }),
      el("ul", {}, jobs.map((job) => el("li", { text: `${job.name}: ${job.report.error.message}` }))));
  }

  function comparisonCell(job, plan, cell, tag = "td") {
    const title = plan.name;
    if (cell.status === "error") {
      return el(tag, { class: "status-error cell" }, el("span", { class: "status-badge", text: cell.status_label }),
        el("p", { class: "answer", text: plan.error ? plan.error.message : cell.answer }));
    }
    return el(tag, { class: `status-${cell.status} cell` },
      el("span", { class: "status-badge", text: cell.status_label }),
      el("p", { class: "answer", text: cell.answer }),
      cell.citations.length ? el("div", { class: "page-links" },
        cell.citations.map((citation) => el("button", {
          type: "button",
          class: "cite-small",
          dataset: { job: job.id, kind: citation.kind, id: String(citation.id), page: String(citation.page) },
          title: citation.quote,
          "aria-label": `p. ${citation.page}: ${citation.quote}`,  // starts with the visible text
          onclick: (event) => openViewer(job, citation.kind, citation, title, event.currentTarget),
          text: `p. ${citation.page}`,
        }))) : null);
  }

  // ------------------------------------------------------------------ the page view

  async function openViewer(job, kind, item, title, opener) {
    const request = ++viewerRequest;
    viewerOpener = opener || null;
    const viewer = $("viewer");
    const image = $("page-image");
    const marks = $("page-marks");
    $("viewer-title").textContent = `Page ${item.page} of ${title}`;
    $("viewer-quote").textContent = item.quote;
    $("viewer-note").textContent = "Loading the page…";
    marks.replaceChildren();
    image.alt = `Page ${item.page} of ${title}, with the quoted clause highlighted`;
    // On a phone the whole page is too small to read: it opens larger, scrolled to the clause.
    setZoom(window.matchMedia("(max-width: 40rem)").matches);
    viewer.hidden = false;
    if (!viewer.open) viewer.showModal();  // modal: the rest of the page is inert until it closes
    $("viewer-title").focus();
    const loaded = new Promise((resolve) => {
      image.onload = () => resolve(true);
      image.onerror = () => resolve(false);
    });
    image.src = `api/jobs/${job.id}/pages/${item.page}.png`;
    let boxes = [];
    let note = "";
    if (item.no_boxes) {
      note = item.no_boxes;
    } else {
      try {
        boxes = (await getJSON(item.boxes_url || `api/jobs/${job.id}/${kind}/${item.id}/boxes`)).boxes;
      } catch (error) {
        note = error.message;
      }
    }
    const ok = await loaded;
    if (request !== viewerRequest) return;
    if (!ok) {
      $("viewer-note").textContent = "The page image could not be drawn. The quote above is exact; look it up on this page of your PDF.";
      return;
    }
    for (const [left, top, right, bottom] of boxes) {
      const mark = el("div", { class: "mark" });
      mark.style.left = `${left * 100}%`;
      mark.style.top = `${top * 100}%`;
      mark.style.width = `${(right - left) * 100}%`;
      mark.style.height = `${(bottom - top) * 100}%`;
      marks.append(mark);
    }
    $("viewer-note").textContent = boxes.length
      ? "The quoted clause is highlighted in yellow."
      : note || "The clause could not be located on the image (a scanned page, or a quote that goes on to the next page); the quote above is exact.";
    const first = marks.firstElementChild;
    if (first) first.scrollIntoView({ block: "center", inline: "center", behavior: "auto" });
  }

  function setZoom(zoomed) {
    $("page-frame").classList.toggle("zoomed", zoomed);
    $("viewer-zoom").setAttribute("aria-pressed", String(zoomed));
    $("viewer-zoom").textContent = zoomed ? "Smaller" : "Larger";
  }

  // Close, Escape (the dialog's own) and a new upload all end here, through the dialog's "close" event.
  function closeViewer() {
    const viewer = $("viewer");
    if (viewer.open) viewer.close();
    else viewerClosed();
  }

  function viewerClosed() {
    const viewer = $("viewer");
    if (viewer.hidden) return;
    viewer.hidden = true;
    viewerRequest += 1;
    $("page-image").removeAttribute("src");
    $("page-marks").replaceChildren();
    if (viewerOpener && document.contains(viewerOpener)) viewerOpener.focus();
    viewerOpener = null;
  }

  // ------------------------------------------------------------------ my case
  // One person's documents read together (POST api/case). The profile form is sent with each
  // request and never stored: not on the server, not in the browser's storage.

  const TREATMENT_ORDER = ["esketamine_nasal", "ketamine_iv", "ketamine_other"];
  const OUTCOMES = [["", "Not known"], ["no_response", "No response"], ["partial_response", "Partial response"],
    ["inadequate_response", "Inadequate response"], ["side_effects", "Stopped for side effects"], ["response", "It worked"]];
  const YES_NO = [["", "Not known"], ["true", "Yes"], ["false", "No"]];
  let caseJobs = [];
  let caseWords = {};
  let caseBusy = false;
  let lastLetter = null;

  function caseMode() {
    return $("mode-case").checked;
  }

  function hideCase() {
    $("case").hidden = true;
    $("case-results").replaceChildren();
    $("case-status").textContent = "";
    closeLetter();
  }

  function word(value) {
    return caseWords[value] || String(value || "").replace(/_/g, " ");
  }

  function options(pairs) {
    return pairs.map(([value, text]) => el("option", { value, text }));
  }

  function addTrialRow() {
    const n = $("trials").children.length + 1;
    $("trials").append(el("tr", {},
      el("td", {}, el("input", { type: "text", name: "drug", maxlength: "200", "aria-label": `Antidepressant ${n}: drug` })),
      el("td", {}, el("input", { type: "text", name: "dose", maxlength: "200", "aria-label": `Antidepressant ${n}: dose` })),
      el("td", {}, el("input", { type: "number", name: "weeks", min: "0", max: "520", step: "any", "aria-label": `Antidepressant ${n}: weeks` })),
      el("td", {}, el("select", { name: "outcome", "aria-label": `Antidepressant ${n}: outcome` }, options(OUTCOMES))),
      el("td", {}, el("select", { name: "current_episode", "aria-label": `Antidepressant ${n}: in this episode` }, options(YES_NO)))));
  }

  function addScaleRow() {
    const n = $("scales").children.length + 1;
    $("scales").append(el("tr", {},
      el("td", {}, el("input", { type: "text", name: "scale", maxlength: "60", placeholder: "PHQ-9", "aria-label": `Score ${n}: scale` })),
      el("td", {}, el("input", { type: "number", name: "score", step: "any", "aria-label": `Score ${n}: score` })),
      el("td", {}, el("input", { type: "date", name: "date", "aria-label": `Score ${n}: date` }))));
  }

  function rowValues(tbody, numbers, booleans) {
    return Array.from(tbody.children).map((row) => {
      const values = {};
      for (const field of row.querySelectorAll("input, select")) {
        const raw = field.value.trim();
        if (raw === "") continue;
        if (numbers.includes(field.name)) values[field.name] = Number(raw);
        else if (booleans.includes(field.name)) values[field.name] = raw === "true";
        else values[field.name] = raw;
      }
      return values;
    }).filter((values) => Object.keys(values).length);
  }

  // The form as a profile: empty fields are left out (they stay "unknown" in the checklist).
  function readProfile() {
    const form = $("profile-form");
    const value = (name) => form.elements[name].value.trim();
    const profile = {};
    for (const name of ["name", "prescriber_name", "prescriber_specialty", "current_oral_antidepressant", "psychotherapy"]) {
      if (value(name)) profile[name] = value(name);
    }
    if (value("age")) profile.age = Number(value("age"));
    if (value("rems_certified_site")) profile.rems_certified_site = value("rems_certified_site") === "true";
    const diagnoses = value("diagnoses").split("\n").map((line) => line.trim()).filter(Boolean);
    if (diagnoses.length) profile.diagnoses = diagnoses;
    const trials = rowValues($("trials"), ["weeks"], ["current_episode"]);
    if (trials.length) profile.antidepressant_trials = trials;
    const scales = rowValues($("scales"), ["score"], []);
    if (scales.length) profile.rating_scales = scales;
    return Object.keys(profile).length ? profile : null;
  }

  // POST api/case<suffix>; a server busy with another upload is waited for, as uploads are.
  async function postCase(suffix) {
    const body = JSON.stringify({ jobs: caseJobs.map((job) => job.id), profile: readProfile() });
    for (;;) {
      const response = await fetch(`api/case${suffix}`, {
        method: "POST", body, headers: { "Content-Type": "application/json" }, cache: "no-store", credentials: "same-origin",
      });
      if (response.ok) return response;
      const data = await response.json().catch(() => ({}));
      if (response.status === 503 && data.error === "busy") {
        $("case-status").textContent = `${data.message} Waiting…`;
        await sleep(BUSY_RETRY_MS);
        continue;
      }
      throw new Error(data.message || `The server answered ${response.status}.`);
    }
  }

  function renderCase(jobs) {
    caseJobs = jobs.filter((job) => job.id && job.report && !job.report.error);
    const failed = jobs.filter((job) => !caseJobs.includes(job));
    $("case").hidden = false;
    $("case-documents-note").textContent = caseJobs.length
      ? "Read together as one person's documents. Each answer below quotes a document, with its page: select a quote to see it on its page."
      : "None of these documents could be read, so there is no case to build.";
    $("case-documents").replaceChildren(...jobs.map((job) => el("li", { class: failed.includes(job) ? "failed" : null },
      job.name, failed.includes(job) ? `: ${job.report.error ? job.report.error.message : "could not be read"}` : null)));
    $("case-title").focus();
    if (caseJobs.length) buildCase();
  }

  async function buildCase() {
    if (caseBusy) return;
    caseBusy = true;
    $("profile-apply").disabled = true;
    $("case-status").textContent = "Reading your documents together…";
    try {
      const view = await (await postCase("")).json();
      caseWords = view.words || {};
      renderCaseResults(view);
      $("case-status").textContent = view.profile_used
        ? "Updated with what you filled in about yourself."
        : "Your case is ready. Fill in “About you” to check the criteria against your history.";
    } catch (error) {
      $("case-status").textContent = `The case could not be built: ${error.message}`;
    } finally {
      caseBusy = false;
      $("profile-apply").disabled = false;
    }
  }

  // A cited quote: its file and page open the page view, the quote highlighted when it can be found.
  function caseCite(view, item) {
    if (!item || !item.file) return null;
    const jobId = view.jobs[item.file];
    const label = `${item.file}, p. ${item.page}`;
    const quote = String(item.quote || "").split(/\s+/).join(" ");
    if (!jobId || !item.page) return el("p", { class: "case-cite" }, el("span", { class: "cite-page", text: label }), el("q", { class: "cite-quote", text: quote }));
    const job = { id: jobId };
    const target = {
      page: item.page,
      quote,
      boxes_url: `api/jobs/${jobId}/pages/${item.page}/boxes?quote=${encodeURIComponent(item.quote)}`,
      // A quote with a masked member ID or claim number is not the page's text: it cannot be found on the image.
      no_boxes: item.masked ? "This quote holds a masked number, so it is not highlighted; it is on this page." : null,
    };
    return el("button", {
      type: "button", class: "cite case-cite",
      dataset: { job: jobId, page: String(item.page) },
      onclick: (event) => openViewer(job, "case", target, item.file, event.currentTarget),
    }, el("span", { class: "cite-page", text: label }), el("q", { class: "cite-quote", text: quote }));
  }

  function caseSection(id, title, ...children) {
    return el("section", { class: "case-section", id: `case-${id}`, "aria-labelledby": `case-${id}-title` },
      el("h3", { id: `case-${id}-title`, text: title }), ...children);
  }

  function downloadButton(text, suffix) {
    return el("button", {
      type: "button", class: "download", dataset: { download: suffix },
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          const response = await postCase(suffix);
          const disposition = response.headers.get("Content-Disposition") || "";
          const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "ketcover-case";
          const url = URL.createObjectURL(await response.blob());
          const link = el("a", { href: url, download: name, hidden: true });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 60000);
        } catch (error) {
          $("case-status").textContent = `The download failed: ${error.message}`;
        } finally {
          button.disabled = false;
        }
      },
    }, text);
  }

  function renderTreatment(view, treatment) {
    const facts = el("dl", { class: "case-facts" },
      el("dt", { text: "Prior authorization" }), el("dd", { text: word(treatment.prior_authorization) }),
      el("dt", { text: "Benefit" }), el("dd", { text: word(treatment.benefit) }));
    const parts = [
      el("h4", { text: treatment.label }),
      el("p", { class: "status-badge", text: word(treatment.status) }),
      el("p", { class: "answer", text: treatment.answer }),
      facts,
    ];
    if (treatment.conditions.length) {
      const initial = treatment.conditions.filter((c) => c.phase !== "reauthorization");
      const later = treatment.conditions.filter((c) => c.phase === "reauthorization");
      parts.push(el("details", { class: "more case-conditions" },
        el("summary", { text: `The criteria (${treatment.conditions.length})` }),
        el("ol", { class: "case-list" }, initial.map((c) => el("li", {}, caseCite(view, c)))),
        later.length ? el("p", { class: "case-what", text: "To continue treatment (reauthorization):" }) : null,
        later.length ? el("ol", { class: "case-list" }, later.map((c) => el("li", {}, caseCite(view, c)))) : null));
    }
    const evidence = treatment.evidence.length ? treatment.evidence : treatment.general || [];
    if (evidence.length) {
      parts.push(el("details", { class: "more" },
        el("summary", { text: treatment.evidence.length ? `What the documents say (${evidence.length})` : `What the plan says in general (${evidence.length})` }),
        el("ul", { class: "quotes" }, evidence.map((e) => el("li", {}, e.what ? el("p", { class: "case-what", text: e.what }) : null, caseCite(view, e))))));
    }
    return el("li", { class: `case-treatment status-${treatment.status}`, dataset: { treatment: treatment.treatment } }, parts);
  }

  function renderCaseResults(view) {
    const parts = [];
    const letter = view.appeal_letter;
    lastLetter = letter;
    const downloads = [downloadButton("Case (JSON)", ".json"), downloadButton("Case (Markdown)", ".md"), downloadButton("Case (HTML)", ".html")];
    if (letter) {
      downloads.unshift(downloadButton("Appeal letter (Markdown)", ".letter.md"), downloadButton("Appeal letter (HTML, print-ready)", ".letter.html"));
    }
    parts.push(el("nav", { class: "downloads", "aria-label": "Download your case" },
      el("span", { class: "downloads-label", text: "Download:" }), downloads,
      letter ? el("button", { type: "button", id: "letter-open", class: "download", onclick: openLetter, text: "Print view of the letter" }) : null));
    const treatments = [...view.treatments].sort((a, b) => TREATMENT_ORDER.indexOf(a.treatment) - TREATMENT_ORDER.indexOf(b.treatment));
    parts.push(caseSection("treatments", "Will my plan cover it?",
      el("ul", { class: "case-treatments" }, treatments.map((t) => renderTreatment(view, t)))));
    if (view.flags.length) {
      parts.push(caseSection("flags", "Worth knowing", el("ul", { class: "case-list" },
        view.flags.map((f) => el("li", { class: "case-flag", dataset: { code: f.code } }, el("p", { text: f.message }), caseCite(view, f))))));
    }
    if (view.denial) {
      const d = view.denial;
      const rows = [];
      if (d.service) rows.push(["What was denied", d.service.text, [d.service]]);
      if (d.date) rows.push(["Date of the notice", d.date.date, [d.date]]);
      if (d.reason && d.reason.length) rows.push(["Why", "", d.reason]);
      if (d.criteria_not_met && d.criteria_not_met.length) rows.push(["Criteria the plan says are not met", "", d.criteria_not_met]);
      if (d.missing_documents && d.missing_documents.length) rows.push(["What is missing", "", d.missing_documents]);
      if (d.send_appeal_to && d.send_appeal_to.length) rows.push(["Where to send an appeal", "", d.send_appeal_to]);
      parts.push(caseSection("denial", "The denial", el("dl", { class: "case-denial" }, rows.flatMap(([title, text, cites]) => [
        el("dt", { text: title }), el("dd", {}, text ? el("p", { text }) : null, cites.map((c) => caseCite(view, c)))]))));
    }
    const checklist = view.checklist;
    if (checklist && checklist.items && checklist.items.length) {
      parts.push(caseSection("checklist", "The criteria, checked against what you told us",
        view.profile_used ? null : el("p", { class: "explain", text: "Everything is “unknown” until you fill in “About you” above." }),
        el("ol", { class: "case-checklist" }, checklist.items.map((item) => el("li", { class: `check-${item.status}`, dataset: { check: item.check || "" } },
          el("span", { class: "status-badge", text: word(item.status) }),
          el("p", { class: "check-criterion", text: item.criterion }),
          el("p", { class: "check-reason", text: item.reason }),
          item.denial_says_not_met ? el("p", { class: "check-denied", text: "The denial letter says this one is not met." }) : null,
          caseCite(view, item))))));
    }
    const deadlines = (view.deadlines && view.deadlines.items) || [];
    if (deadlines.length) {
      parts.push(caseSection("deadlines", "Deadlines", el("table", { class: "case-deadlines" },
        el("thead", {}, el("tr", {}, ["What", "Within", "Due", "Source"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, deadlines.map((d) => el("tr", { class: d.passed ? "passed" : null },
          el("td", { text: d.what }), el("td", { text: d.period || "" }),
          el("td", { text: d.due ? `${d.due}${d.passed ? " (passed)" : ""}` : "" }),
          el("td", {}, d.source === "law" ? `${d.plan_type_label || "The law"}: ${d.citation}` : caseCite(view, d))))))));
    }
    if (view.questions.length) {
      parts.push(caseSection("questions", "Questions to ask your plan", el("ol", { class: "case-list" },
        view.questions.map((q) => el("li", {}, el("p", { class: "case-question", text: q.question }),
          el("p", { class: "case-because", text: `Why: ${q.because}` }),
          (q.cites || []).slice(0, 2).map((c) => caseCite(view, c)))))));
    }
    if (view.documents_to_gather.length) {
      parts.push(caseSection("gather", "Documents to gather", el("ul", { class: "case-list" },
        view.documents_to_gather.map((g) => el("li", {}, el("p", {}, el("strong", { text: g.who === "you" ? "You: " : "Your prescriber: " }), g.item),
          caseCite(view, g))))));
    }
    if (view.assistance && view.assistance.routes.length) {
      parts.push(caseSection("assistance", `Help with the cost (as of ${view.assistance.as_of})`, el("ul", { class: "case-list" },
        view.assistance.routes.map((r) => el("li", {}, el("p", {}, el("strong", { text: r.name }), `: ${r.what}`),
          el("p", { class: "case-because", text: `For: ${r.who} Source: ${r.source}` }))))));
    }
    $("case-results").replaceChildren(...parts);
  }

  // The letter in the page, printable with the browser's own Print (style.css hides the rest).
  function openLetter() {
    if (!lastLetter) return;
    const body = $("letter-body");
    body.replaceChildren(...lastLetter.blocks.map((b) => {
      if (b.type === "heading") return el("h3", { text: b.text });
      if (b.type === "quote") return el("blockquote", {}, b.lead ? `${b.lead} ` : null, `“${b.text}” `, el("cite", { text: `(${b.file}, p. ${b.page})` }));
      if (b.type === "lines") return el("p", {}, b.lines.flatMap((line, i) => (i ? [el("br"), line] : [line])));
      if (b.type === "list") return el("ul", {}, b.items.map((item) => el("li", { text: item })));
      return el("p", { text: b.text });
    }));
    $("letter-view").hidden = false;
    document.body.classList.add("letter-open");
    $("letter-view-title").focus();
  }

  function closeLetter() {
    if ($("letter-view").hidden) return;
    $("letter-view").hidden = true;
    document.body.classList.remove("letter-open");
    const opener = $("letter-open");
    if (opener) opener.focus();
  }

  function setUpCase() {
    addTrialRow();
    addTrialRow();
    addScaleRow();
    $("add-trial").addEventListener("click", addTrialRow);
    $("add-scale").addEventListener("click", addScaleRow);
    $("profile-form").addEventListener("submit", (event) => {
      event.preventDefault();
      if (caseJobs.length) buildCase();
      else $("case-status").textContent = "Drop your documents first.";
    });
    $("profile-clear").addEventListener("click", () => {
      $("profile-form").reset();
      $("trials").replaceChildren();
      $("scales").replaceChildren();
      addTrialRow();
      addTrialRow();
      addScaleRow();
    });
    // Documents already read are shown again in the other mode: no need to drop them twice.
    for (const radio of document.querySelectorAll("input[name=mode]")) {
      radio.addEventListener("change", () => {
        if (running || !lastJobs.length) return;
        closeViewer();
        $("results").replaceChildren();
        hideCase();
        if (caseMode()) renderCase(lastJobs);
        else if (lastJobs.length === 1) renderReport(lastJobs[0], false);
        else renderComparison(lastJobs);
      });
    }
    $("letter-print").addEventListener("click", () => window.print());
    $("letter-close").addEventListener("click", closeLetter);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !$("letter-view").hidden && $("viewer").hidden) closeLetter();
    });
  }

  // ------------------------------------------------------------------ start

  async function start() {
    setUpDropZone();
    setUpCase();
    $("viewer-close").addEventListener("click", closeViewer);
    $("viewer").addEventListener("close", viewerClosed);
    // On paper every quote is shown: the folded ones are opened for printing, then folded again.
    let unfolded = [];
    window.addEventListener("beforeprint", () => {
      unfolded = Array.from(document.querySelectorAll("#results details.more:not([open]), #case-results details:not([open])"));
      for (const details of unfolded) details.open = true;
    });
    window.addEventListener("afterprint", () => {
      for (const details of unfolded) details.open = false;
      unfolded = [];
    });
    $("viewer").addEventListener("click", (event) => {
      // A click on the backdrop is a click on the dialog outside its box.
      const box = $("viewer").getBoundingClientRect();
      const outside = event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
      if (event.target === $("viewer") && outside) closeViewer();
    });
    // Tab wraps around inside the viewer: past its last control the browser would leave the page.
    $("viewer").addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const stops = Array.from($("viewer").querySelectorAll("button, [tabindex='0']")).filter((node) => node.offsetParent !== null);
      if (!stops.length) return;
      const first = stops[0];
      const last = stops[stops.length - 1];
      const at = document.activeElement;
      if (event.shiftKey && (at === first || !stops.includes(at))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && at === last) {
        event.preventDefault();
        first.focus();
      }
    });
    $("viewer-zoom").addEventListener("click", () => {
      setZoom(!$("page-frame").classList.contains("zoomed"));
      const first = $("page-marks").firstElementChild;
      if (first) first.scrollIntoView({ block: "center", inline: "center", behavior: "auto" });
    });
    try {
      config = await getJSON("api/config");
      $("version").textContent = config.version;
      $("limit-note").textContent = `PDF files up to ${formatMB(config.max_upload_bytes)} each. Your files stay on this computer: nothing is sent anywhere else.`;
    } catch (error) {
      showMessage(`The ketcover server did not answer (${error.message}). Start it again with: ketcover serve`);
    }
    document.body.dataset.ready = "true";
  }

  start();
})();
