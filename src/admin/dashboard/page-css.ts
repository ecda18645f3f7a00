/** The dashboard's styles: light and dark, one column on a phone. */
export const APP_CSS = String.raw`
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#6b7385; --line:#e3e6ec; --accent:#3b5bdb;
  --ok:#2f9e44; --bad:#e03131; --warn:#f08c00; --depth:#7048e8; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --bg:#12151c; --card:#1b1f29; --ink:#e6e8ee; --muted:#9aa1b2; --line:#2a3040; --accent:#748ffc; } }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); }
header { display:flex; align-items:center; gap:16px; padding:10px 20px; background:var(--card); border-bottom:1px solid var(--line); position:sticky; top:0; z-index:2; flex-wrap:wrap; }
.brand { font-weight:700; font-size:16px; display:flex; align-items:center; gap:8px; }
.logo { display:inline-grid; place-items:center; width:26px; height:26px; border-radius:7px; background:var(--accent); color:#fff; }
.queue-name { font-weight:500; color:var(--muted); }
nav { display:flex; gap:4px; flex-wrap:wrap; flex:1; }
nav a { color:var(--muted); text-decoration:none; padding:5px 10px; border-radius:6px; }
nav a.on, nav a:hover { background:var(--bg); color:var(--ink); }
.live { font-size:12px; padding:3px 9px; border-radius:99px; border:1px solid var(--line); color:var(--muted); }
.live.on { color:var(--ok); border-color:var(--ok); }
.live.on::before { content:"● "; }
main { max-width:1200px; margin:0 auto; padding:20px; }
h2 { font-size:15px; margin:0 0 12px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(130px, 1fr)); gap:12px; margin-bottom:16px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.stat .n { font-size:26px; font-weight:700; }
.stat .l { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.stat.bad .n { color:var(--bad); }
.grid2 { display:grid; grid-template-columns: 2fr 1fr; gap:16px; margin-bottom:16px; }
@media (max-width: 800px) { .grid2 { grid-template-columns: 1fr; } main { padding:12px; } header { padding:8px 12px; } }
svg { width:100%; height:auto; display:block; }
.legend { display:flex; gap:14px; font-size:12px; color:var(--muted); margin-top:6px; flex-wrap:wrap; }
.legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; vertical-align:-1px; }
table { width:100%; border-collapse:collapse; }
th, td { text-align:left; padding:7px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:12px; }
td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; word-break:break-all; }
.scroll { overflow-x:auto; }
.pill { font-size:11px; padding:2px 8px; border-radius:99px; background:var(--bg); border:1px solid var(--line); white-space:nowrap; }
.pill.ok { color:var(--ok); border-color:var(--ok); } .pill.bad { color:var(--bad); border-color:var(--bad); } .pill.warn { color:var(--warn); border-color:var(--warn); }
button { font:inherit; font-size:12px; padding:4px 10px; border-radius:6px; border:1px solid var(--line); background:var(--card); color:var(--ink); cursor:pointer; }
button:hover { border-color:var(--accent); color:var(--accent); }
button.danger:hover { border-color:var(--bad); color:var(--bad); }
button.primary { background:var(--accent); color:#fff; border-color:var(--accent); }
.toolbar { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin-bottom:12px; }
input, select { font:inherit; padding:4px 8px; border-radius:6px; border:1px solid var(--line); background:var(--card); color:var(--ink); }
pre { background:var(--bg); padding:10px; border-radius:8px; overflow:auto; font-size:12px; max-height:320px; }
.muted { color:var(--muted); }
.events { list-style:none; margin:0; padding:0; font-size:13px; }
.events li { padding:5px 0; border-bottom:1px solid var(--line); display:flex; gap:8px; align-items:baseline; }
.events time { color:var(--muted); font-size:12px; min-width:64px; }
.toast { position:fixed; bottom:16px; right:16px; background:var(--ink); color:var(--bg); padding:10px 14px; border-radius:8px; max-width:80vw; }
a { color:var(--accent); }
`;
