/* security.js — saying plainly when the page's connection is not encrypted
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Browsers cannot check a Tertulia host's own certificate the way the app
 * does (by the fingerprint in the invitation), so the host serves the page
 * over plain HTTP unless it turned on HTTPS for browsers. Over http:// the
 * chat crosses the network as it is typed: the page says so once, in a
 * notice that can be dismissed for the rest of the tab's life.
 */

import { el, storageGet, storageSet, t } from './common.js';

const DISMISSED_KEY = 'tertulia.plainNoticeDismissed';

const SVG = 'http://www.w3.org/2000/svg';

/* The same cross as the page's other close buttons; never built from a
 * string of markup.
 */
function crossIcon () {
  const svg = document.createElementNS(SVG, 'svg');
  const path = document.createElementNS(SVG, 'path');

  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4.3 3.3 3.3 4.3 7 8l-3.7 3.7 1 1L8 9l3.7 3.7 1-1L9 8l3.7-3.7-1-1L8 7z');
  svg.append(path);
  return svg;
}

export function initSecurityNotice () {
  if (location.protocol !== 'http:')
    return;
  if (storageGet(sessionStorage, DISMISSED_KEY) === '1')
    return;

  const notice = el('div', 'security-notice');
  const text = el('span', null, t('security.plain'));
  const close = el('button', 'icon-button');

  notice.id = 'security-notice';
  notice.setAttribute('role', 'note');
  close.type = 'button';
  close.setAttribute('aria-label', t('security.dismiss'));
  close.title = t('security.dismiss');
  close.append(crossIcon());
  close.addEventListener('click', () => {
    storageSet(sessionStorage, DISMISSED_KEY, '1');
    notice.remove();
  });
  /* The button first, at the start: the ⋮ menu opens over the header's
   * end, and would cover it there.
   */
  notice.append(close, text);

  document.querySelector('header.top').append(notice);
}
