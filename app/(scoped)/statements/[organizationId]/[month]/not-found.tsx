import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";

/** An unknown organization id or a malformed month. */
export default function StatementNotFound() {
  return (
    <div className="flex justify-center py-12">
      <Card className="w-full max-w-md text-center">
        <CardHeader className="justify-items-center gap-3">
          <h1 className="text-xl font-semibold tracking-tight">No such statement</h1>
          <CardDescription>Check the organization and the month (yyyy-mm). Error 404 · Not found</CardDescription>
        </CardHeader>
        <CardFooter className="justify-center">
          <Button asChild variant="outline">
            <Link href="/statements">All statements</Link>
          </Button>
        </CardFooter>
      </Card>
    </div>
  );
}
