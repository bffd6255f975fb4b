// The PDF preview of the document pages and action forms (see browser/preview.py).
// pdf.js renders page by page into one canvas; no PDF JavaScript, no eval.
import * as pdfjsLib from "./pdfjs/pdf.min.js";

const BASE = new URL("./pdfjs/", import.meta.url).href;
pdfjsLib.GlobalWorkerOptions.workerSrc = BASE + "pdf.worker.min.js";

function setup(box) {
  const canvas = box.querySelector(".qlvb-pdf-canvas");
  const toolbar = box.querySelector(".qlvb-pdf-toolbar");
  const pageInput = box.querySelector(".qlvb-pdf-page");
  const count = box.querySelector(".qlvb-pdf-count");
  const error = box.querySelector(".qlvb-pdf-error");
  const loading = box.querySelector(".qlvb-pdf-loading");
  const empty = box.querySelector(".qlvb-pdf-empty");
  const open = box.querySelector(".qlvb-pdf-open");
  const tabs = box.querySelector(".qlvb-pdf-tabs");
  let pdf = null;
  let current = 1;
  let zoom = 1;
  let task = null;
  let rendering = null;

  async function show(number) {
    const doc = pdf;
    if (!doc) return;
    try {
      await draw(doc, number);
    } catch (e) {
      if (doc === pdf && !(e && e.name === "RenderingCancelledException")) throw e;
      // else: another file was chosen meanwhile
    }
  }

  async function draw(doc, number) {
    current = Math.min(Math.max(1, number || 1), doc.numPages);
    pageInput.value = current;
    const page = await doc.getPage(current);
    if (doc !== pdf) return;
    const width = Math.max(box.clientWidth - 2, 200);
    const unscaled = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: (width / unscaled.width) * zoom });
    const ratio = window.devicePixelRatio || 1;
    if (rendering) {
      rendering.cancel();
      try { await rendering.promise; } catch (e) { /* cancelled */ }
    }
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = Math.floor(viewport.width) + "px";
    canvas.style.height = Math.floor(viewport.height) + "px";
    rendering = page.render({
      canvas, canvasContext: canvas.getContext("2d"), viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    await rendering.promise;
    if (doc === pdf) box.dataset.renderedPage = String(current);
  }

  async function load(source, url) {
    error.hidden = true;
    loading.hidden = false;
    if (empty) empty.hidden = true;
    delete box.dataset.renderedPage;
    if (rendering) rendering.cancel();
    rendering = null;
    pdf = null;
    if (task) task.destroy();
    if (open && url) open.href = url;
    try {
      task = pdfjsLib.getDocument({
        ...source,
        isEvalSupported: false,
        enableXfa: false,
        standardFontDataUrl: BASE + "standard_fonts/",
        wasmUrl: BASE + "wasm/",
      });
      pdf = await task.promise;
      count.textContent = pdf.numPages;
      pageInput.max = pdf.numPages;
      zoom = 1;
      toolbar.hidden = false;
      await show(1);
    } catch (e) {
      pdf = null;
      toolbar.hidden = true;
      error.hidden = false;
      canvas.width = canvas.height = 0;
    } finally {
      loading.hidden = true;
    }
  }

  function select(tab) {
    for (const other of tabs.querySelectorAll(".qlvb-pdf-tab")) {
      other.classList.toggle("active", other === tab);
      other.setAttribute("aria-selected", other === tab ? "true" : "false");
    }
    if (tab.dataset.url) load({ url: tab.dataset.url }, tab.dataset.url);
    else if (tab.qlvbFile) tab.qlvbFile.arrayBuffer().then((data) => load({ data }));
  }

  tabs.addEventListener("click", (event) => {
    const tab = event.target.closest(".qlvb-pdf-tab");
    if (tab) select(tab);
  });
  box.querySelector(".qlvb-pdf-prev").addEventListener("click", () => show(current - 1));
  box.querySelector(".qlvb-pdf-next").addEventListener("click", () => show(current + 1));
  box.querySelector(".qlvb-pdf-zoom-in").addEventListener("click", () => { zoom *= 1.25; show(current); });
  box.querySelector(".qlvb-pdf-zoom-out").addEventListener("click", () => { zoom /= 1.25; show(current); });
  pageInput.addEventListener("change", () => show(parseInt(pageInput.value, 10)));
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => show(current), 200);
  });

  // A form: the PDFs chosen in its file inputs, read in the browser before any upload.
  if (box.dataset.inputs) {
    const inputs = box.dataset.inputs.split(",").map((s) => document.querySelector(s)).filter(Boolean);
    const refresh = () => {
      tabs.replaceChildren();
      for (const input of inputs) {
        for (const file of input.files) {
          if (!/\.pdf$/i.test(file.name) && file.type !== "application/pdf") continue;
          const tab = document.createElement("button");
          tab.type = "button";
          tab.className = "nav-link qlvb-pdf-tab";
          tab.setAttribute("role", "tab");
          tab.textContent = file.name;
          tab.qlvbFile = file;
          tabs.append(tab);
        }
      }
      const first = tabs.querySelector(".qlvb-pdf-tab");
      if (first) select(first);
      else {
        toolbar.hidden = true;
        canvas.width = canvas.height = 0;
        if (empty) empty.hidden = false;
      }
    };
    for (const input of inputs) input.addEventListener("change", refresh);
    refresh();
    return;
  }
  const first = tabs.querySelector(".qlvb-pdf-tab");
  if (first) select(first);
}

for (const box of document.querySelectorAll(".qlvb-pdf-preview")) setup(box);
