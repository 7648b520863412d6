import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";

/** A platform admin asked for an organization id that does not exist (or is not an id at all). */
export default function OrganizationNotFound() {
  return (
    <div className="flex justify-center py-12">
      <Card className="w-full max-w-md text-center">
        <CardHeader className="justify-items-center gap-3">
          <h1 className="text-xl font-semibold tracking-tight">No such organization</h1>
          <CardDescription>There is no organization with this id. Error 404 · Not found</CardDescription>
        </CardHeader>
        <CardFooter className="justify-center">
          <Button asChild variant="outline">
            <Link href="/organizations">All organizations</Link>
          </Button>
        </CardFooter>
      </Card>
    </div>
  );
}
