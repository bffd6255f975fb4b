// Searchable choice lists (select.qlvb-picker, and lists of check boxes .qlvb-checklist): a search box above each list filters its options by
// name, with or without Vietnamese diacritics ("nguyen van an" finds "Nguyễn Văn An"); in a list of
// several choices a click (or tap) chooses or un-chooses one person, without Ctrl, and the chosen
// people are listed under it.
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // The search box above a list, and the line under it that names what is chosen.
  function searchBox(list) {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm qlvb-picker-search";
    search.placeholder = list.dataset.searchPlaceholder || "Tìm theo tên…";
    search.setAttribute("aria-label", search.placeholder);
    if (list.id) search.setAttribute("aria-controls", list.id);
    list.before(search);
    return search;
  }

  function chosenLine(list, names) {
    const chosen = document.createElement("div");
    chosen.className = "qlvb-picker-chosen";
    chosen.setAttribute("aria-live", "polite");
    list.after(chosen);
    return () => chosen.replaceChildren(...names().map((name) => {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-secondary";
      badge.textContent = name;
      return badge;
    }));
  }

  function setup(select) {
    const search = searchBox(select);

    search.addEventListener("input", () => {
      const words = fold(search.value).split(" ").filter(Boolean);
      for (const group of select.querySelectorAll("optgroup")) {
        const groupText = fold(group.label);
        let shown = 0;
        for (const option of group.querySelectorAll("option")) {
          const text = fold(option.textContent) + " " + groupText;
          const match = words.every((w) => text.includes(w));
          option.hidden = !match && !option.selected;
          if (!option.hidden) shown += 1;
        }
        group.hidden = shown === 0;
      }
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {  // choose the first person found instead of sending the form
        event.preventDefault();
        const first = [...select.options].find((o) => !o.hidden && o.value);
        if (first) {
          first.selected = select.multiple ? !first.selected : true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });

    if (!select.multiple) return;
    const refresh = chosenLine(select, () => [...select.selectedOptions].map(
      (option) => option.textContent.split(" — ")[0]));
    select.addEventListener("mousedown", (event) => {
      const option = event.target.closest("option");
      if (!option || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();  // one click toggles one person; the others stay chosen
      const top = select.scrollTop;
      option.selected = !option.selected;
      select.focus();
      select.scrollTop = top;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.addEventListener("change", refresh);
    refresh();
  }

  // A list of check boxes (.qlvb-checklist, e.g. the recipients as a tree of agencies): the search
  // keeps the matching lines, the agencies above them (data-parents) and what is already chosen.
  function setupChecklist(list) {
    const search = searchBox(list);
    const items = [...list.querySelectorAll(".form-check")];
    const refresh = chosenLine(list, () => items.filter((i) => i.querySelector("input").checked)
      .map((i) => i.querySelector("label").textContent));
    search.addEventListener("input", () => {
      const words = fold(search.value).split(" ").filter(Boolean);
      const keep = new Set();
      for (const item of items) {
        const text = fold(item.querySelector("label").textContent);
        if (item.querySelector("input").checked || words.every((w) => text.includes(w))) {
          keep.add(item.dataset.uid);
          (item.dataset.parents || "").split(" ").filter(Boolean).forEach((uid) => keep.add(uid));
        }
      }
      for (const item of items) item.hidden = !keep.has(item.dataset.uid);
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();  // searching never sends the form
    });
    list.addEventListener("change", refresh);
    refresh();
  }

  document.querySelectorAll("select.qlvb-picker").forEach(setup);
  document.querySelectorAll(".qlvb-checklist").forEach(setupChecklist);
})();
