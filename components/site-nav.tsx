"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { api } from "./api-client";
import { useSession } from "./api-key-gate";

const links = [
  { href: "/", label: "Home" },
  { href: "/chat", label: "Chat" },
  { href: "/search", label: "Search" },
  { href: "/documents", label: "Documents" },
  { href: "/docs", label: "API" },
];

export function SiteNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3 sm:gap-6 sm:px-6">
        <Link href="/" className="text-lg font-bold tracking-tight">
          pgrag
        </Link>
        <ul className="flex min-w-0 gap-3 overflow-x-auto text-sm sm:gap-4">
          {links.map((link) => {
            const active = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={active ? "page" : undefined}
                  className={active ? "font-semibold text-indigo-600 dark:text-indigo-400" : "text-slate-600 hover:text-slate-900 dark:text-slate-400"}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <SignOut />
      </div>
    </nav>
  );
}

/** Shown only where an API key is required and this browser is signed in. */
function SignOut() {
  const session = useSession();
  if (!session.data?.required || !session.data.signed_in) return null;
  return (
    <button
      type="button"
      onClick={async () => {
        await api.signOut();
        // Nothing read while signed in stays on screen; the sign-in dialog greets the reload.
        window.location.reload();
      }}
      className="ml-auto shrink-0 rounded-lg px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
    >
      Sign out
    </button>
  );
}
