fetch("/api/session").then(r => r.json()).then(s => document.title += " " + s.id);
