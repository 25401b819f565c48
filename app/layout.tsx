import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/providers";
import { AppShell } from "@/components/shell/app-shell";
import { getViewerContext } from "@/lib/data/context";
import { summarizeViewer } from "@/lib/data/auth/sign-in-options";

// The logo mark as a data: URI: the CSP allows `img-src data:`, and it spares a favicon request that would 404.
const faviconSvg =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='%231d4ed8'/>" +
  "<path d='M5 17h6l2.5-6 4 11 3-8 1.5 3H27' fill='none' stroke='white' stroke-width='2.25' stroke-linecap='round' stroke-linejoin='round'/></svg>";

export const metadata: Metadata = {
  title: { default: "Pipeline Health", template: "%s · Pipeline Health" },
  description: "Delivery health for DevOps and GitOps, side by side: DORA metrics, drift, audit trail and sync approvals.",
  icons: { icon: `data:image/svg+xml,${faviconSvg}` },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f5f7fa" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1120" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the CSP nonce in proxy.ts only reaches scripts rendered for this request.
  await connection();
  const path = (await headers()).get("x-pathname") ?? "/";
  const signingIn = path === "/sign-in" || path.startsWith("/sign-in?");
  const { viewer } = await getViewerContext();
  // Every page but sign-in needs a session; the data layer refuses anonymous callers as well.
  if (!signingIn && viewer.kind === "anonymous") redirect(path === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`);
  return (
    <html lang="en">
      <body>
        <Providers>{signingIn ? children : <AppShell session={summarizeViewer(viewer)}>{children}</AppShell>}</Providers>
      </body>
    </html>
  );
}
