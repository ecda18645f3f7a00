/**
 * The dashboard's one HTML page. Everything dynamic is drawn by app.js;
 * the page carries the huey name, the CSRF token and whether actions show.
 */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function pageHtml(o: { name: string; csrf: string; readOnly: boolean; fromApp: boolean }): string {
  const name = escapeHtml(o.name);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(o.csrf)}">
<title>huey · ${name}</title>
<link rel="stylesheet" href="/app.css">
</head>
<body data-read-only="${o.readOnly}" data-from-app="${o.fromApp}" data-name="${name}">
<header>
  <div class="brand"><span class="logo">h</span> huey <span class="queue-name">${name}</span></div>
  <nav id="nav">
    <a href="#/">Overview</a><a href="#/pending">Pending</a><a href="#/scheduled">Scheduled</a><a href="#/inflight">In flight</a><a href="#/errors">Errors</a><a href="#/results">Results</a><a href="#/periodic">Periodic</a><a href="#/events">Events</a>
  </nav>
  <div id="live" class="live off" title="live updates">live</div>
</header>
<main id="main"><p class="muted">Loading…</p></main>
<div id="toast" class="toast" hidden></div>
<script src="/app.js"></script>
</body>
</html>
`;
}
