// The whole article with the cited span in <mark id="cited-span">, scrolled into view. A paged
// document (PDF) shows where each page starts, and the mark carries the page it starts on.
// Text is set as text nodes, never as HTML.
export default function ({ parentElement, data }) {
  const find = (selector) => parentElement.querySelector(selector);
  const pages = data.pages || [];
  const pageAt = (offset) => pages.filter((start) => start <= offset).length;
  find(".title").textContent = data.title;
  const where = [data.date || "no date", data.outlet, data.source];
  if (pages.length) where.push(`p. ${pageAt(data.start)} of ${pages.length}`);
  if (data.url) where.push(data.url);
  if ((data.also || []).length) where.push(`also published by ${data.also.join(", ")}`);
  find(".meta").textContent = where.filter(Boolean).join(" · ");
  const mark = document.createElement("mark");
  mark.id = "cited-span";
  Object.assign(mark.dataset, { n: data.n, source: data.source, start: data.start, end: data.end });
  if (pages.length) mark.dataset.page = pageAt(data.start);
  mark.textContent = data.cited;
  // `text` (which starts at `offset`) with a label before each page that starts in it; `inside`
  // says which page starts belong to this piece (a page starting inside the mark gets none)
  const withPages = (text, offset, inside) => {
    const nodes = [];
    let at = 0;
    pages.forEach((start, i) => {
      if (!inside(start)) return;
      nodes.push(document.createTextNode(text.slice(at, start - offset)));
      const label = document.createElement("div");
      label.className = "page";
      label.dataset.page = i + 1;
      label.textContent = `p. ${i + 1}`;
      nodes.push(label);
      at = start - offset;
    });
    nodes.push(document.createTextNode(text.slice(at)));
    return nodes;
  };
  const before = withPages(data.before, 0, (start) => start <= data.start);
  const after = withPages(data.after, data.end, (start) => start >= data.end && start > data.start);
  const box = find(".text");
  box.replaceChildren(...before, mark, ...after);
  const show = () => { box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3); };
  show();
  requestAnimationFrame(show);
  setTimeout(() => { show(); mark.scrollIntoView({ block: "nearest" }); }, 250);
}
