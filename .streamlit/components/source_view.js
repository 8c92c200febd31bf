// The whole article with the cited span in <mark id="cited-span">, scrolled into view.
// Text is set as text nodes, never as HTML.
export default function ({ parentElement, data }) {
  const find = (selector) => parentElement.querySelector(selector);
  find(".title").textContent = data.title;
  find(".meta").textContent = `${data.date || "no date"} · ${data.source}`;
  const mark = document.createElement("mark");
  mark.id = "cited-span";
  Object.assign(mark.dataset, { n: data.n, source: data.source, start: data.start, end: data.end });
  mark.textContent = data.cited;
  const box = find(".text");
  const text = (value) => document.createTextNode(value);
  box.replaceChildren(text(data.before), mark, text(data.after));
  const show = () => { box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3); };
  show();
  requestAnimationFrame(show);
  setTimeout(() => { show(); mark.scrollIntoView({ block: "nearest" }); }, 250);
}
