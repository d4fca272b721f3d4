"use client";

import { useLayoutEffect, useRef, useState, type ReactNode } from "react";

/**
 * Long passages shown a few lines deep, with "Show more" when there is more:
 * ten whole chunks made a results page thousands of pixels tall. The button
 * appears only when the text overflows, measured after layout.
 */
export function Clamped({ children, label }: { children: ReactNode; label: string }) {
  const body = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState(false);
  const [overflows, setOverflows] = useState(false);

  useLayoutEffect(() => {
    const element = body.current;
    if (!element || expanded) return;
    const measure = () => setOverflows(element.scrollHeight > element.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [expanded]);

  return (
    <div>
      <div ref={body} className={expanded ? undefined : "relative max-h-36 overflow-hidden"}>
        {children}
        {!expanded && overflows && (
          <div aria-hidden className="pointer-events-none absolute inset-x-0 bottom-0 h-10 bg-gradient-to-t from-white dark:from-slate-900" />
        )}
      </div>
      {(overflows || expanded) && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-label={`${expanded ? "Show less" : "Show more"} of ${label}`}
          onClick={() => setExpanded(!expanded)}
          className="mt-1 text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300"
        >
          {expanded ? "Show less" : "Show more"}
        </button>
      )}
    </div>
  );
}
