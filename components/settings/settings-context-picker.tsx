"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { SettingsPageData } from "@/lib/db/settings";

const NONE = "__none";

/** Chooses the app and organization the effective values are resolved for (kept in the URL). */
export function SettingsContextPicker({ data, appId, organizationId }: { data: Pick<SettingsPageData, "apps" | "organizations">; appId: string | null; organizationId: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const update = (name: "app" | "org", value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value === NONE) next.delete(name);
    else next.set(name, value);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="grid gap-1.5">
        <Label htmlFor="ctx-app">Effective for app</Label>
        <Select value={appId ?? NONE} onValueChange={(v) => update("app", v)}>
          <SelectTrigger id="ctx-app" className="w-48"><SelectValue /></SelectTrigger>
          <SelectContent>
            <SelectItem value={NONE}>Any app</SelectItem>
            {data.apps.map((a) => <SelectItem key={a.id} value={a.id}>{a.name}</SelectItem>)}
          </SelectContent>
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="ctx-org">and organization</Label>
        <Select value={organizationId ?? NONE} onValueChange={(v) => update("org", v)}>
          <SelectTrigger id="ctx-org" className="w-48"><SelectValue /></SelectTrigger>
          <SelectContent>
            <SelectItem value={NONE}>No organization</SelectItem>
            {data.organizations.map((o) => <SelectItem key={o.id} value={o.id}>{o.name}</SelectItem>)}
          </SelectContent>
        </Select>
      </div>
    </div>
  );
}
