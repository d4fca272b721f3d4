"use client";

import * as Dialog from "@radix-ui/react-dialog";
import Image from "next/image";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { api } from "./api-client";
import { useSession } from "./api-key-gate";
import { SheetClose } from "./ui/sheet-close";

const links = [
  { href: "/", label: "Home" },
  { href: "/chat", label: "Chat" },
  { href: "/search", label: "Search" },
  { href: "/documents", label: "Documents" },
  { href: "/docs", label: "API" },
];

function isActive(href: string, pathname: string) {
  return href === "/" ? pathname === "/" : pathname.startsWith(href);
}

export function SiteNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3 sm:gap-6 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
          {/* The app's icon (app/icon.svg), served as is. */}
          <Image src="/icon.svg" alt="" width={24} height={24} unoptimized />
          pgrag
        </Link>
        <ul className="hidden gap-4 text-sm sm:flex">
          {links.map((link) => (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={isActive(link.href, pathname) ? "page" : undefined}
                className={
                  isActive(link.href, pathname)
                    ? "font-semibold text-indigo-600 dark:text-indigo-400"
                    : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
                }
              >
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="ml-auto flex items-center gap-2">
          <SignOut />
          <PhoneMenu pathname={pathname} />
        </div>
      </div>
    </nav>
  );
}

/**
 * On a phone five links do not fit beside the name: they open from a button
 * as a sheet (Radix's dialog: focus kept inside, Escape and a tap outside
 * close it, focus returns to the button).
 */
function PhoneMenu({ pathname }: { pathname: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className="rounded-lg p-2 text-slate-700 hover:bg-slate-100 sm:hidden dark:text-slate-300 dark:hover:bg-slate-800" aria-label="Menu">
        <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M4 7h16M4 12h16M4 17h16" />
        </svg>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/40" />
        <Dialog.Content className="fixed inset-y-0 right-0 z-50 flex w-72 max-w-[85vw] flex-col gap-2 border-l border-slate-200 bg-white p-4 shadow-xl dark:border-slate-700 dark:bg-slate-900">
          <div className="flex items-center justify-between">
            <Dialog.Title className="text-base font-semibold">Menu</Dialog.Title>
            <SheetClose label="Close menu" />
          </div>
          <Dialog.Description className="sr-only">Go to another page of pgrag.</Dialog.Description>
          <ul className="flex flex-col">
            {links.map((link) => (
              <li key={link.href}>
                <Link
                  href={link.href}
                  onClick={() => setOpen(false)}
                  aria-current={isActive(link.href, pathname) ? "page" : undefined}
                  className={`block rounded-lg px-3 py-3 text-base ${
                    isActive(link.href, pathname)
                      ? "bg-indigo-50 font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                      : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                  }`}
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
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
      className="shrink-0 rounded-lg px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
    >
      Sign out
    </button>
  );
}
