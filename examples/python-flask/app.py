"""notes-api: a small Flask service that keeps notes in memory."""
from flask import Flask, jsonify, request

app = Flask(__name__)
notes: list[str] = []


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/notes")
def list_notes():
    return jsonify(notes=notes)


@app.post("/notes")
def add_note():
    text = str(request.get_json(force=True).get("text", "")).strip()
    if not text:
        return jsonify(error="text is required"), 400
    notes.append(text)
    return jsonify(id=len(notes) - 1), 201
