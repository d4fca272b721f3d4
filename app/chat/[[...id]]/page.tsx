import { ChatApp } from "@/components/chat/chat-app";

export const metadata = { title: "Chat · pgrag" };

/** /chat and /chat/<id>: one page, so moving between conversations keeps the chat mounted. */
export default function Chat() {
  return (
    <main id="main">
      <ChatApp />
    </main>
  );
}
