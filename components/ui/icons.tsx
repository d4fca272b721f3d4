/** Line icons for the actions lists offer in place (rename, delete), drawn like the rest of the app's. */
function Icon({ path }: { path: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d={path} />
    </svg>
  );
}

export const PencilIcon = () => <Icon path="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" />;
export const TrashIcon = () => <Icon path="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />;
