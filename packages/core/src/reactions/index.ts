export * from "./dependencies";
export * from "./inputs";
export * from "./react";
export * from "./reconcile-image";
