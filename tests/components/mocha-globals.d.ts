// The browser tests run under Mocha (Web Test Runner), which provides these globals.
/// <reference types="npm:@types/mocha" />
