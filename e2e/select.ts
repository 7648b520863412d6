import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Select (Radix) by keyboard. Each step waits for the list to have focus, then for the highlight
 * to move, before the next key: a key pressed before the open list has taken focus is dropped,
 * which under load picked a neighbour of the option meant.
 */
const highlighted = (page: Page) => page.locator('[role="option"][data-highlighted]');

/** Opens the list with Enter; resolves once it has focus (on the selected option). */
export async function openByKeyboard(page: Page, combobox: Locator): Promise<void> {
  await combobox.focus();
  await page.keyboard.press("Enter");
  await expect(highlighted(page)).toHaveCount(1);
}

/** In the open list, moves `ups` options up, one confirmed step at a time, and picks `name` there. */
export async function pickUp(page: Page, combobox: Locator, ups: number, name: string): Promise<void> {
  for (let i = 0; i < ups; i += 1) {
    const before = (await highlighted(page).textContent()) ?? "";
    await page.keyboard.press("ArrowUp");
    await expect(highlighted(page)).not.toHaveText(before);
  }
  await expect(highlighted(page)).toHaveText(name);
  await page.keyboard.press("Enter");
  await expect(combobox).toHaveText(name);
}

/** Opens the list by keyboard, moves `ups` options up from the selected one and picks `name`. */
export async function pickByKeyboard(page: Page, combobox: Locator, ups: number, name: string): Promise<void> {
  await openByKeyboard(page, combobox);
  await pickUp(page, combobox, ups, name);
}
