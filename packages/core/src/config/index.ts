// Public API of the config area: re-export what other areas and packages may use.
export {};
