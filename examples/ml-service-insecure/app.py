"""ml-service: a tiny prediction API."""
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/predict")
def predict():
    features = request.get_json(force=True).get("features", [])
    score = sum(float(x) for x in features) / max(len(features), 1)
    return jsonify(score=score)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
