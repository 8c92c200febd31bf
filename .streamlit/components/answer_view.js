// The answer with each [n] marker as a button: a click tells the app which citation to open.
export default function ({ parentElement, data, setTriggerValue }) {
  const root = parentElement.querySelector(".answer");
  root.replaceChildren();
  for (const part of data.parts) {
    if (part.n === undefined) { root.append(document.createTextNode(part.text)); continue; }
    const marker = document.createElement("button");
    marker.type = "button";
    marker.className = "cite";
    marker.dataset.n = String(part.n);
    marker.title = data.titles[String(part.n)] || "";
    marker.textContent = `[${part.n}]`;
    marker.addEventListener("click", () => setTriggerValue("cite", part.n));
    root.append(marker);
  }
}
