// Public API of the resilience area: re-export what other areas and packages may use.
export {};
