/* sharing.js — sharing files: the upload button and its progress rows, the
 * rows of shared files and pictures, the full-screen picture viewer
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speaks the *Files* section of docs/PROTOCOL.md. A guest's file is never
 * rendered as a document in the page's origin: only the raster pictures
 * the host found (PNG, JPEG, GIF, WebP, with their size) become an <img>;
 * everything else is a link the browser downloads. Names and every other
 * string from the wire reach the page through textContent.
 */

import { $, el, state, t, ui, viewerLocales } from './common.js';
import { canModerate } from './conversation.js';
import { addNotice, nickElement, timeElement, withScroll } from './log.js';

const RASTER_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/* Bigger pictures are offered as a download: a phone could not decode them. */
const MAX_INLINE_PIXELS = 50e6;

/* This participant's key to the room's files, from the welcome. */
const auth = { token: null };
const removed = new Set();
let lastFrameError = null;
/* Capability URLs already computed, by token, participant and file. */
const capabilities = new Map();

/* ------------------------------------------------------------ SHA-256 */

/* A page served over plain http:// from a LAN address is not a secure
 * context and has no crypto.subtle: it computes the capability itself
 * (docs/PROTOCOL.md, *Fetching*). FIPS 180-4, for short inputs.
 */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

function sha256 (bytes) {
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  const view = new DataView(padded.buffer);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));

  padded.set(bytes);
  padded[bytes.length] = 0x80;
  view.setUint32(padded.length - 4, bytes.length * 8);

  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++)
      w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = (d + t1) >>> 0;
      d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }

  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((word, i) => outView.setUint32(i * 4, word));
  return out;
}

function hex (bytes) {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/* HMAC-SHA256 (RFC 2104) of @message keyed with @key, both strings, in
 * lowercase hex; without crypto.subtle unless @subtle.
 */
export async function hmacHex (key, message, subtle = globalThis.crypto?.subtle) {
  const encoder = new TextEncoder();
  const keyBytes = encoder.encode(key);
  const data = encoder.encode(message);

  if (subtle) {
    const cryptoKey = await subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return hex(new Uint8Array(await subtle.sign('HMAC', cryptoKey, data)));
  }

  const block = new Uint8Array(64);
  block.set(keyBytes.length > 64 ? sha256(keyBytes) : keyBytes);
  const pad = (byte, rest) => {
    const joined = new Uint8Array(64 + rest.length);
    joined.set(block.map((b) => b ^ byte));
    joined.set(rest, 64);
    return joined;
  };
  return hex(sha256(pad(0x5c, sha256(pad(0x36, data)))));
}

/* The file's capability URL for this participant: what an <img> or a link
 * can carry instead of the Authorization header.
 */
function capabilityUrl (id) {
  /* A log that draws its rows again (scrolling back) asks again. */
  const participant = state.you.id;
  const key = `${auth.token} ${participant} ${id}`;
  let url = capabilities.get(key);

  if (!url) {
    url = hmacHex(auth.token, id).then((cap) =>
      `/files/${encodeURIComponent(id)}?p=${encodeURIComponent(participant)}&cap=${cap}`);
    capabilities.set(key, url);
  }
  return url;
}

/* ------------------------------------------------------------- helpers */

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];

/* A size as people read it, in the powers of 1024 the host counts in. */
export function formatSize (bytes) {
  let value = Number(bytes) || 0;
  let unit = 0;

  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(viewerLocales, {
    style: 'unit', unit: UNITS[unit], unitDisplay: unit === 0 ? 'long' : 'short', maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/* A short tag for the kind of file, drawn as a small badge: the name's
 * extension when it has a plain one, else one for the type the host found
 * (both language-neutral, as on a file manager's icons).
 */
function typeTag (name, type) {
  const extension = /\.([a-z0-9]{1,4})$/i.exec(name);
  if (extension)
    return extension[1].toUpperCase();
  const known = {
    'application/pdf': 'PDF', 'application/zip': 'ZIP', 'application/gzip': 'GZ',
    'application/x-7z-compressed': '7Z', 'application/vnd.rar': 'RAR', 'application/ogg': 'OGG',
    'audio/flac': 'FLAC', 'audio/mpeg': 'MP3', 'audio/wav': 'WAV', 'video/mp4': 'MP4',
    'image/png': 'PNG', 'image/jpeg': 'JPG', 'image/gif': 'GIF', 'image/webp': 'WEBP',
  };
  if (known[type])
    return known[type];
  return type.startsWith('text/') ? 'TXT' : 'BIN';
}

function isInlinePicture (file) {
  return RASTER_TYPES.has(file.type) &&
    Number.isInteger(file.width) && Number.isInteger(file.height) &&
    file.width > 0 && file.height > 0 && file.width * file.height <= MAX_INLINE_PIXELS;
}

/* --------------------------------------------------------------- rows */

function removedNote () {
  const note = el('div', 'file-removed', t('files.removed'));
  note.dir = 'auto';
  return note;
}

function pictureButton (file, name) {
  const button = el('button', 'picture');
  const img = el('img');

  button.type = 'button';
  button.setAttribute('aria-label', t('files.open', { name }));
  img.alt = name;
  /* The size the host read, so that the row does not jump when it loads;
   * CSS bounds it.
   */
  img.width = file.width;
  img.height = file.height;
  img.loading = 'lazy';
  img.decoding = 'async';
  button.append(img);
  button.addEventListener('click', () => openViewer(img, name, file, button));
  return { button, img };
}

/* The row of a `file` event: a picture shown inline, or a file with its
 * name, size and a Download link.
 */
export function buildFileRow (event, date = new Date(event.time ?? Date.now())) {
  const file = event.file && typeof event.file === 'object' ? event.file : {};
  const id = String(file.id ?? '');
  const name = String(file.name ?? 'file');
  const type = String(file.type ?? 'application/octet-stream');
  const fromId = event.from?.id;
  const li = el('li', 'msg file');

  li.dataset.kind = 'file';
  li.dataset.author = String(fromId);
  li.dataset.time = String(date.getTime());
  li.dataset.fileId = id;
  if (state.myIds.has(fromId))
    li.classList.add('own');

  const header = el('div', 'meta');
  header.append(nickElement(String(event.from?.nick ?? ''), fromId), timeElement(date));
  li.append(header);

  if (removed.has(id) || !/^[0-9a-f]{32}$/.test(id)) {
    li.append(removedNote());
    return li;
  }

  const body = el('div', 'file-body');
  const label = el('span', 'file-name', name);
  const size = el('span', 'file-size', formatSize(file.size));
  label.dir = 'auto';

  const info = el('div', 'file-info');
  const link = el('a', 'file-download', t('files.download'));
  link.download = name;
  link.setAttribute('aria-label', t('files.downloadName', { name }));
  const remove = removeButton(body, id, name);

  let img = null;
  if (isInlinePicture(file)) {
    const picture = pictureButton(file, name);
    img = picture.img;
    body.append(picture.button);
    info.append(label, size, link, remove);
  } else {
    const icon = el('span', 'file-glyph', typeTag(name, type));
    icon.setAttribute('aria-hidden', 'true');
    info.append(icon, label, size, link, remove);
  }
  body.append(info);
  li.append(body);

  /* A host too old to give a file token shows the row, with nothing to open. */
  if (!auth.token || !state.you)
    return li;
  capabilityUrl(id).then((url) => {
    link.href = url;
    if (img)
      img.src = url;
  });
  return li;
}

/* A `file-removed` event: the row says so and offers nothing to open. */
export function markFileRemoved (id) {
  id = String(id ?? '');
  removed.add(id);
  for (const li of document.querySelectorAll('li.file')) {
    if (li.dataset.fileId !== id)
      continue;
    const body = li.querySelector('.file-body');
    /* The focus was on its Remove: it stays in the log, not lost. */
    const focused = body?.contains(document.activeElement);
    body?.replaceWith(removedNote());
    if (focused)
      ui.scroller.focus({ preventScroll: true });
  }
  if (viewer?.dataset.fileId === id)
    viewer.close();
}

/* ------------------------------------------------------------- removing */

/* Only the host and co-hosts may remove a shared file, anyone's
 * (docs/PROTOCOL.md, *Removing*): the host refuses the rest, its sender
 * too, so nobody else is offered it.
 */
function mayRemove () {
  return canModerate();
}

function removeReason (status) {
  switch (status) {
    case 403:
      return t('files.removeDenied');
    case 404:
      return t('files.removeGone');
    case 503:
      return t('files.busy');
    case 0:
      return t('files.network');
    default:
      return t('files.failed', { status });
  }
}

/* Asks the host to remove the file; `file-removed` then redraws its row
 * for everyone. Resolves with the HTTP status, 0 when nothing came back.
 */
async function requestRemoval (id) {
  try {
    const answer = await fetch(`/files/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${auth.token}` },
      cache: 'no-store',
    });
    return answer.status;
  } catch {
    return 0;
  }
}

/* The question under a file, in its row: Remove for everyone, or Cancel
 * (Escape too). Refused, the row is as it was and a notice says why.
 */
function confirmRemove (body, remove, id, name) {
  if (body.querySelector('.file-confirm'))
    return;
  const box = el('div', 'file-confirm');
  const question = el('p', 'file-question', t('files.removeConfirm'));
  const yes = el('button', 'file-confirm-yes danger', t('files.removeYes'));
  const no = el('button', 'file-confirm-no', t('files.cancel'));

  question.id = `file-question-${id}`;
  box.setAttribute('role', 'group');
  box.setAttribute('aria-labelledby', question.id);
  yes.type = no.type = 'button';
  const close = () => {
    box.remove();
    remove.hidden = !mayRemove();
    if (!remove.hidden)
      remove.focus();
  };
  no.addEventListener('click', close);
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  yes.addEventListener('click', async () => {
    yes.disabled = no.disabled = true;
    const status = await requestRemoval(id);
    if (status === 204 || !body.isConnected)
      return;
    close();
    addNotice(t('files.notRemoved', { name, reason: removeReason(status) }), { kind: 'notice error' });
  });

  box.append(question, yes, no);
  remove.hidden = true;
  body.append(box);
  yes.focus();
}

function removeButton (body, id, name) {
  const remove = el('button', 'file-remove', t('files.remove'));
  remove.type = 'button';
  remove.setAttribute('aria-label', t('files.removeName', { name }));
  remove.hidden = !mayRemove();
  remove.addEventListener('click', () => confirmRemove(body, remove, id, name));
  return remove;
}

/* The page's role changed (made co-host, or no longer): the rows drawn
 * already offer Remove, or stop offering it.
 */
export function refreshFileActions () {
  const allowed = mayRemove();
  for (const body of ui.log.querySelectorAll('li.file .file-body')) {
    if (!allowed)
      body.querySelector('.file-confirm')?.remove();
    const remove = body.querySelector('.file-remove');
    if (remove)
      remove.hidden = !allowed || Boolean(body.querySelector('.file-confirm'));
  }
}

/* --------------------------------------------------------------- viewer */

let viewer = null;

function openViewer (img, name, file, opener) {
  if (!img.src)
    return;
  const big = viewer.querySelector('img');
  big.src = img.src;
  big.alt = name;
  big.width = file.width;
  big.height = file.height;
  viewer.dataset.fileId = String(file.id);
  viewer.querySelector('.viewer-title').textContent = name;
  const link = viewer.querySelector('.file-download');
  link.href = img.src;
  link.download = name;
  viewer.opener = opener;
  viewer.showModal();
}

/* ------------------------------------------------------------- sending */

/* What the welcome gives: the key to the room's files. */
export function setFileToken (token) {
  auth.token = typeof token === 'string' && /^[0-9a-f]{64}$/.test(token) ? token : null;
}

/* An `error` frame about an upload: the upload's row says it (the HTTP
 * answer carries the same code), so it is not a notice of its own.
 */
export function noteFileError (code) {
  if (code !== 'file-too-large' && code !== 'room-files-full')
    return false;
  lastFrameError = { code, time: Date.now() };
  return true;
}

function reasonFor (code) {
  if (code === 'file-too-large')
    return t('files.tooLarge', { size: formatSize(state.limits.file_bytes) });
  if (code === 'room-files-full')
    return t('files.roomFull', { size: formatSize(state.limits.room_file_bytes) });
  return t(code);
}

function failUpload (row, name, reason) {
  withScroll(() => row.remove());
  addNotice(t('files.notSent', { name, reason }), { kind: 'notice error' });
}

function statusReason (xhr) {
  switch (xhr.status) {
    case 413:
      return reasonFor(xhr.getResponseHeader('X-Tertulia-Error') === 'room-files-full'
        ? 'room-files-full' : 'file-too-large');
    case 503:
      return t('files.busy');
    case 507:
      return t('files.diskFull');
    case 401:
    case 403:
      return t('files.denied');
    default:
      return t('files.failed', { status: xhr.status });
  }
}

function uploadRow (file, onCancel) {
  const li = el('li', 'upload');
  const name = el('span', 'file-name', file.name);
  const progress = el('progress');
  const cancel = el('button', 'upload-cancel', t('files.cancel'));

  li.dataset.kind = 'upload';
  name.dir = 'auto';
  progress.max = Math.max(1, file.size);
  progress.value = 0;
  progress.setAttribute('aria-label', t('files.sending', { name: file.name }));
  cancel.type = 'button';
  cancel.setAttribute('aria-label', t('files.cancelName', { name: file.name }));
  cancel.addEventListener('click', onCancel);
  li.append(name, progress, cancel);
  return li;
}

/* Sends one file with XMLHttpRequest, for its upload progress events. */
function upload (file) {
  const name = file.name || 'file';

  if (!auth.token || state.phase !== 'joined') {
    addNotice(t('files.notSent', { name, reason: t('notice.offline') }), { kind: 'notice error' });
    return;
  }
  if (typeof state.limits.file_bytes === 'number' && file.size > state.limits.file_bytes) {
    addNotice(t('files.notSent', { name, reason: reasonFor('file-too-large') }), { kind: 'notice error' });
    return;
  }

  const xhr = new XMLHttpRequest();
  /* An upload not yet under way fires no abort event: the row goes here. */
  const row = uploadRow(file, () => {
    xhr.abort();
    withScroll(() => row.remove());
  });
  const progress = row.querySelector('progress');
  const started = Date.now();

  xhr.open('POST', `/files?name=${encodeURIComponent(name)}`);
  xhr.setRequestHeader('Authorization', `Bearer ${auth.token}`);
  xhr.upload.onprogress = (e) => {
    progress.value = e.loaded;
  };
  xhr.onload = () => {
    if (xhr.status === 201)
      withScroll(() => row.remove());
    else
      failUpload(row, name, statusReason(xhr));
  };
  xhr.onerror = () => {
    /* The host may have refused the file and closed the connection on a
     * body still coming: its error frame says why.
     */
    setTimeout(() => {
      const frame = lastFrameError;
      const reason = frame && frame.time >= started ? reasonFor(frame.code) : t('files.network');
      failUpload(row, name, reason);
    }, 300);
  };
  xhr.onabort = () => withScroll(() => row.remove());
  withScroll(() => ui.outbox.append(row), true);
  xhr.send(file);
}

/* ----------------------------------------------------------------- init */

export function initFiles () {
  const input = $('file-input');

  viewer = $('file-viewer');
  $('attach').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    for (const file of input.files)
      upload(file);
    input.value = '';
  });

  viewer.querySelector('.viewer-close').addEventListener('click', () => viewer.close());
  /* A click on the dark around the picture closes it too. */
  viewer.addEventListener('click', (e) => {
    if (e.target === viewer)
      viewer.close();
  });
  viewer.addEventListener('close', () => {
    viewer.querySelector('img').removeAttribute('src');
    viewer.opener?.focus();
  });
}
