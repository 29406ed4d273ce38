export { type Inventory, indexInventory } from "./inventory";
export { planRetention } from "./plan";
export * from "./types";
