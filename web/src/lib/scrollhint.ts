/**
 * Svelte action for horizontally scrolling tab rows (the staff nav on a 360 px phone):
 * sets data-more-left / data-more-right while items are hidden on either side, which
 * app.css turns into faded edges and a chevron, and scrolls the current item into view.
 */
export function scrollHint(el: HTMLElement) {
  const update = () => {
    const max = el.scrollWidth - el.clientWidth;
    el.toggleAttribute('data-more-left', el.scrollLeft > 2);
    el.toggleAttribute('data-more-right', max > 2 && el.scrollLeft < max - 2);
  };
  const showCurrent = () => {
    const cur = el.querySelector<HTMLElement>('[aria-current="page"]');
    if (cur && (cur.offsetLeft < el.scrollLeft || cur.offsetLeft + cur.offsetWidth > el.scrollLeft + el.clientWidth)) {
      el.scrollLeft = cur.offsetLeft - 16;
    }
    update();
  };
  const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(showCurrent) : null;
  ro?.observe(el);
  const mo = new MutationObserver(showCurrent);
  mo.observe(el, { subtree: true, attributes: true, attributeFilter: ['aria-current'], childList: true });
  el.addEventListener('scroll', update, { passive: true });
  queueMicrotask(showCurrent);
  return {
    destroy() {
      ro?.disconnect();
      mo.disconnect();
      el.removeEventListener('scroll', update);
    },
  };
}
