// The reactions' ports live in ../dependencies: the capabilities take them too, and must not import reactions/.
export * from "../dependencies";
