// The studio's script: our own, no framework. The office's page (new communiqué, build all,
// logo) and the editor (form → preview, findings at their fields, save, conflicts, drafts).
"use strict";

const NBSP = "\u00a0", NNBSP = "\u202f";
const DEBOUNCE_MS = 120;

async function post(url, body, raw) {
  const options = { method: "POST", credentials: "same-origin", body: raw ? body : JSON.stringify(body) };
  if (!raw) options.headers = { "Content-Type": "application/json" };
  const response = await fetch(url, options);
  let data = {};
  try { data = await response.json(); } catch (e) { /* empty answer */ }
  return { status: response.status, data };
}

// --- the office's page ----------------------------------------------------------------------

function officePage() {
  const message = document.getElementById("bureau-message");
  document.getElementById("nouveau").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const { status, data } = await post("/api/nouveau", { modele: form.modele.value, nom: form.nom.value });
    if (status === 201) location.href = data.adresse;
    else message.textContent = data.erreur || "La création a échoué.";
  });
  const bar = document.getElementById("construire-progression");
  document.getElementById("construire").addEventListener("click", async () => {
    await post("/api/construire", {});
    bar.hidden = false;
    const poll = async () => {
      const state = await (await fetch("/api/construire")).json();
      bar.max = state.total || 1; bar.value = state.fait || 0;
      message.textContent = `Construction : ${state.fait || 0} sur ${state.total || 0}` +
        (state.erreurs ? `, ${state.erreurs} en erreur` : "") + (state.en_cours ? "…" : " : terminé.");
      if (state.en_cours) setTimeout(poll, 500); else setTimeout(() => location.reload(), 1500);
    };
    poll();
  });
  document.getElementById("logo").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("logo-fichier").files[0];
    if (!file) { message.textContent = "Choisissez d'abord une image."; return; }
    const response = await fetch("/api/logo", { method: "POST", body: file, headers: { "X-Nom-Fichier": encodeURIComponent(file.name) } });
    const data = await response.json();
    message.textContent = response.ok ? `Logo enregistré : assets/${data.logo} (à citer dans le champ logo de l'organisation).` : data.erreur;
  });
}

// --- the editor -----------------------------------------------------------------------------

const state = { nom: "", version: "", dirty: false, sequence: 0, timer: 0, lastInput: 0 };
window.studioMesures = [];

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] = node[key] || {};
  node[keys[keys.length - 1]] = value;
}

function collect() {
  const form = document.getElementById("formulaire");
  const data = {};
  for (const el of form.querySelectorAll("[data-cle]")) setPath(data, el.dataset.cle, el.value);
  for (const table of form.querySelectorAll("[data-table]")) {
    const rows = [...table.querySelectorAll("tbody tr")].map((tr) => {
      const row = {};
      for (const cell of tr.querySelectorAll("[data-col]")) row[cell.dataset.col] = cell.value.trim() || null;
      // a row with only its type chosen (a select always has one) is an empty row
      return [...tr.querySelectorAll("input[data-col]")].some((input) => input.value.trim()) ? row : null;
    }).filter((row) => row);
    setPath(data, table.dataset.table, table.hidden ? null : rows);
  }
  return data;
}

function fill(data) {
  const form = document.getElementById("formulaire");
  const get = (path) => path.split(".").reduce((node, key) => (node && typeof node === "object" ? node[key] : undefined), data);
  for (const el of form.querySelectorAll("[data-cle]")) {
    const value = get(el.dataset.cle);
    if (value !== undefined) el.value = value ?? "";
  }
  for (const table of form.querySelectorAll("[data-table]")) {
    const rows = get(table.dataset.table);
    if (!Array.isArray(rows)) continue;
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const row of rows) {
      const tr = newRow(table);
      for (const cell of tr.querySelectorAll("[data-col]")) cell.value = row[cell.dataset.col] ?? cell.value;
      body.append(tr);
    }
    if (table.dataset.table === "contacts") {
      table.hidden = rows.length === 0;
      document.getElementById("contacts-emetteur").checked = table.hidden;
    }
  }
  renumber();
}

function newRow(table) {
  return table.querySelector("template").content.firstElementChild.cloneNode(true);
}

function renumber() {
  for (const table of document.querySelectorAll("[data-table]")) {
    table.querySelectorAll("tbody tr").forEach((tr, index) => {
      for (const cell of tr.querySelectorAll("[data-col]")) cell.dataset.champ = `${table.dataset.table}[${index}].${cell.dataset.col}`;
    });
  }
}

// « 12 %», « 1 250 € »: the no-break spaces French needs, typed for the user (same length,
// so the caret stays where it was).
function typeset(el) {
  const before = el.value;
  const after = before.replace(/(\d) ([%€])/g, `$1${NBSP}$2`).replace(/(^|[^\d ])(\d{1,3}(?: \d{3})+)(?!\d)/g, (m, lead, number) => lead + number.replace(/ /g, NNBSP));
  if (after !== before) {
    const [start, end] = [el.selectionStart, el.selectionEnd];
    el.value = after;
    el.setSelectionRange(start, end);
  }
}

function markdown(button) {
  const area = document.getElementById(button.closest("[data-pour]").dataset.pour);
  const [start, end] = [area.selectionStart, area.selectionEnd];
  const text = area.value.slice(start, end);
  const action = button.dataset.md;
  let insert;
  if (action === "gras") insert = `**${text || "texte en gras"}**`;
  else if (action === "italique") insert = `*${text || "texte en italique"}*`;
  else if (action === "lien") insert = `[${text || "texte du lien"}](https://)`;
  else insert = (text || "élément").split("\n").map((line) => `- ${line}`).join("\n");
  area.setRangeText(insert, start, end, "select");
  area.focus();
  changed();
}

const TYPE_ALIASES = { epci: "intercommunalite" };
const bare = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");

// A pasted type is matched against the select's own options, by key or by name
// (« École », « ecole »), so the programme's declared types paste as the defaults do.
function laureateType(select, value) {
  const key = bare(value);
  const option = [...select.options].find((o) => bare(o.value) === key || bare(o.textContent) === key);
  return option ? option.value : TYPE_ALIASES[key];
}

function pasteRows(event) {
  const table = event.target.closest("[data-table]");
  const text = (event.clipboardData || window.clipboardData).getData("text");
  if (!table || !/[\n\t]/.test(text.trim())) return;
  event.preventDefault();
  const body = table.querySelector("tbody");
  let current = event.target.closest("tr");
  const lines = text.replace(/\r/g, "").split("\n").filter((line) => line.trim());
  for (const line of lines) {
    const cells = line.split("\t").map((cell) => cell.trim());
    const tr = current && [...current.querySelectorAll("input[data-col]")].every((i) => !i.value) ? current : newRow(table);
    if (tr !== current) body.append(tr);
    current = null;
    const inputs = [...tr.querySelectorAll("[data-col]")];
    inputs.forEach((input, index) => {
      let value = cells[index] ?? "";
      if (input.dataset.col === "type") {
        value = laureateType(input, value) || input.value;
      }
      if (value) input.value = value;
    });
  }
  renumber();
  changed();
}

function tableClick(event) {
  const button = event.target.closest("button");
  if (!button) return;
  const table = button.closest("[data-table]");
  if (button.hasAttribute("data-ajouter")) {
    const tr = newRow(table);
    table.querySelector("tbody").append(tr);
    renumber();
    tr.querySelector("input, select").focus();
    changed();
    return;
  }
  const tr = button.closest("tr");
  if (button.hasAttribute("data-supprimer")) {
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    (next ? next.querySelector("input, select") : table.querySelector("[data-ajouter]")).focus();
  } else if (button.hasAttribute("data-monter") && tr.previousElementSibling) {
    tr.previousElementSibling.before(tr);
    button.focus();
  } else if (button.hasAttribute("data-descendre") && tr.nextElementSibling) {
    tr.nextElementSibling.after(tr);
    button.focus();
  } else return;
  renumber();
  changed();
}

const DATE_FORMAT = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });

function frenchDates() {
  for (const hint of document.querySelectorAll("[data-date-fr]")) {
    const input = document.getElementById(hint.dataset.dateFr);
    const [y, m, d] = (input.value || "").split("-").map(Number);
    hint.textContent = y ? DATE_FORMAT.format(new Date(y, m - 1, d)).replace(/^(\D*)1 /, "$11er ") : "";
  }
}

function draftKey() { return `communiques-studio:${state.nom}`; }

function markDirty(dirty) {
  state.dirty = dirty;
  document.getElementById("etat").textContent = dirty ? "Modifications non enregistrées" : "Enregistré";
  if (dirty) localStorage.setItem(draftKey(), JSON.stringify({ version: state.version, donnees: collect() }));
  else localStorage.removeItem(draftKey());
}

function changed() {
  state.lastInput = performance.now();
  frenchDates();
  markDirty(true);
  clearTimeout(state.timer);
  state.timer = setTimeout(refresh, DEBOUNCE_MS);
}

async function refresh() {
  const sequence = ++state.sequence;
  const input = state.lastInput;
  const sent = performance.now();
  const { status, data } = await post(`/api/apercu/${state.nom}`, { donnees: collect() });
  const received = performance.now();
  if (sequence !== state.sequence || data.perime) return;
  if (status !== 200) { showFindings([{ niveau: "erreur", message: data.erreur || "aperçu impossible", texte: data.erreur, ici: false }], true); return; }
  showFindings(data.constats, data.echec);
  if (data.echec) return; // the last good preview stays in view
  const pages = document.getElementById("pages");
  const images = data.pages.map((png, index) => {
    const img = new Image();
    img.alt = `Page ${index + 1} sur ${data.pages.length} de l'aperçu du PDF`;
    img.src = `data:image/png;base64,${png}`;
    return img;
  });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  if (sequence !== state.sequence) return;
  pages.replaceChildren(...images);
  pages.dataset.version = String(sequence);
  const shown = performance.now();
  window.studioMesures.push({ saisie: input, ...data.durees, serveur_total: Object.values(data.durees).reduce((a, b) => a + b, 0), aller_retour: received - sent, affichage: shown - received, total: shown - input });
}

function showFindings(findings, failed) {
  for (const el of document.querySelectorAll("[data-constat]")) { el.hidden = true; el.textContent = ""; }
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const list = document.getElementById("constats");
  list.replaceChildren();
  let errors = 0;
  for (const finding of findings) {
    if (finding.niveau === "erreur") errors += 1;
    const li = document.createElement("li");
    li.className = finding.niveau === "erreur" ? "erreur" : "avertissement";
    const sentence = `${finding.niveau} : ${finding.message}${finding.suggestion ? " → " + finding.suggestion : ""}`;
    const field = finding.ici && finding.champ ? fieldFor(finding.champ) : null;
    if (field) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${finding.champ} : ${sentence}`;
      button.addEventListener("click", () => { field.focus(); field.scrollIntoView({ block: "center" }); });
      li.append(button);
      field.setAttribute("aria-invalid", "true");
      const slot = messageSlot(field, finding.champ);
      if (slot) {
        slot.hidden = false;
        slot.classList.toggle("avertissement", finding.niveau !== "erreur");
        slot.textContent = (slot.textContent ? slot.textContent + " " : "") + sentence + ".";
      }
    } else li.textContent = finding.texte;
    list.append(li);
  }
  const warnings = findings.length - errors;
  document.getElementById("constats-titre").textContent = findings.length
    ? `Relecture : ${errors} erreur${errors > 1 ? "s" : ""}, ${warnings} avertissement${warnings > 1 ? "s" : ""}${failed ? " — l'aperçu montre la dernière version valide" : ""}`
    : "Relecture : rien à signaler";
}

function fieldFor(champ) {
  const form = document.getElementById("formulaire");
  for (let path = champ; path; path = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
    const el = form.querySelector(`[data-champ="${CSS.escape(path)}"]`);
    if (el) return el.matches("input, select, textarea") ? el : el.querySelector("input, select, textarea") || el;
    if (!/[.[]/.test(path)) break;
  }
  return null;
}

function messageSlot(field, champ) {
  const own = document.querySelector(`[data-constat="${CSS.escape(field.dataset.champ || "")}"]`);
  if (own) return own;
  const table = field.closest("[data-table]");
  return table ? table.querySelector(":scope > [data-constat]") : null;
}

async function save(version) {
  const { status, data } = await post(`/api/enregistrer/${state.nom}`, { version: version || state.version, donnees: collect() });
  const etat = document.getElementById("etat");
  if (status === 200) {
    state.version = data.version;
    document.getElementById("conflit").hidden = true;
    document.getElementById("alerte-disque").hidden = true;
    markDirty(false);
    etat.textContent = "Enregistré";
  } else if (status === 409) {
    const panel = document.getElementById("conflit");
    document.getElementById("conflit-disque").textContent = data.disque;
    document.getElementById("conflit-vous").textContent = data.votre_texte;
    panel.dataset.version = data.version;
    panel.hidden = false;
    etat.textContent = "Non enregistré : le fichier a changé sur le disque";
    document.getElementById("garder-mienne").focus();
  } else etat.textContent = `Non enregistré : ${data.erreur || "erreur"}`;
}

function editorPage(root) {
  state.nom = root.dataset.nom;
  state.version = root.dataset.version;
  const form = document.getElementById("formulaire");
  const draft = JSON.parse(localStorage.getItem(draftKey()) || "null");
  if (draft) {
    fill(draft.donnees);
    state.version = draft.version;
    markDirty(true);
    document.getElementById("etat").textContent = "Modifications non enregistrées, restaurées";
  }
  renumber();
  frenchDates();
  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-texte]")) typeset(event.target);
    changed();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-contacts-emetteur]")) {
      const table = document.querySelector('[data-table="contacts"]');
      table.hidden = event.target.checked;
      if (!table.hidden && !table.querySelector("tbody tr")) table.querySelector("tbody").append(newRow(table));
      renumber();
    }
    changed();
  });
  form.addEventListener("paste", pasteRows);
  form.addEventListener("click", (event) => {
    if (event.target.closest("[data-md]")) markdown(event.target.closest("[data-md]"));
    else if (event.target.closest("[data-table]")) tableClick(event);
  });
  document.getElementById("enregistrer").addEventListener("click", () => save());
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  document.getElementById("garder-mienne").addEventListener("click", () => save(document.getElementById("conflit").dataset.version));
  document.getElementById("prendre-disque").addEventListener("click", () => { markDirty(false); location.reload(); });
  window.addEventListener("beforeunload", (event) => { if (state.dirty) { event.preventDefault(); event.returnValue = ""; } });
  const events = new EventSource("/api/evenements");
  events.onmessage = (message) => {
    const change = JSON.parse(message.data);
    if (change.fichier !== state.nom || change.version === state.version) return;
    if (!state.dirty) location.reload();
    else document.getElementById("alerte-disque").hidden = false;
  };
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  const editor = document.getElementById("editeur");
  if (editor) editorPage(editor);
  else if (document.getElementById("nouveau")) officePage();
});
