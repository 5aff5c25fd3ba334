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
    $("dropzone-title").textContent = "Drop other PDFs here to start again";
    if (jobs.length === 1) renderReport(jobs[0], false);
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

  function renderConcern(job, concern, report, title) {
    const item = el("li", { class: `concern status-${concern.status}`, id: `concern-${concern.concern}`, dataset: { concern: concern.concern } });
    item.append(
      el("h3", { text: concern.question }),
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
    parts.push(el("p", { class: "explain", text: "One column per document. Select a page number to see the quote behind the answer highlighted on that page." }));
    const head = el("tr", {}, el("th", { scope: "col", text: "Question" }),
      view.plans.map((plan) => el("th", { scope: "col" }, plan.name,
        plan.name !== plan.file ? el("span", { class: "th-file", text: plan.file }) : null)));
    const body = view.rows.map((row) => el("tr", { class: `row-${row.kind}`, dataset: { row: row.key } },
      el("th", { scope: "row", text: row.question }),
      row.cells.map((cell, index) => comparisonCell(byId.get(view.plans[index].job), view.plans[index], cell))));
    parts.push(el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Comparison table" },
      el("table", { class: "comparison" }, el("thead", {}, head), el("tbody", {}, body))));
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

  function comparisonCell(job, plan, cell) {
    const title = plan.name;
    if (cell.status === "error") {
      return el("td", { class: "status-error" }, el("span", { class: "status-badge", text: cell.status_label }),
        el("p", { class: "answer", text: plan.error ? plan.error.message : cell.answer }));
    }
    return el("td", { class: `status-${cell.status}` },
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
    viewer.hidden = false;
    document.body.classList.add("viewing");
    $("viewer-title").focus();
    const loaded = new Promise((resolve) => {
      image.onload = () => resolve(true);
      image.onerror = () => resolve(false);
    });
    image.src = `api/jobs/${job.id}/pages/${item.page}.png`;
    let boxes = [];
    let note = "";
    try {
      boxes = (await getJSON(`api/jobs/${job.id}/${kind}/${item.id}/boxes`)).boxes;
    } catch (error) {
      note = error.message;
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

  function closeViewer() {
    const viewer = $("viewer");
    if (viewer.hidden) return;
    viewer.hidden = true;
    viewerRequest += 1;
    document.body.classList.remove("viewing");
    $("page-image").removeAttribute("src");
    $("page-marks").replaceChildren();
    if (viewerOpener && document.contains(viewerOpener)) viewerOpener.focus();
    viewerOpener = null;
  }

  // ------------------------------------------------------------------ start

  async function start() {
    setUpDropZone();
    $("viewer-close").addEventListener("click", closeViewer);
    $("viewer-zoom").addEventListener("click", () => {
      const zoomed = $("page-frame").classList.toggle("zoomed");
      $("viewer-zoom").setAttribute("aria-pressed", String(zoomed));
      $("viewer-zoom").textContent = zoomed ? "Smaller" : "Larger";
      const first = $("page-marks").firstElementChild;
      if (first) first.scrollIntoView({ block: "center", inline: "center", behavior: "auto" });
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !$("viewer").hidden) closeViewer();
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
