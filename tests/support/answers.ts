/** Small documents whose answers are known sentences, for the answering tests. */
export const PUMP_MANUAL = {
  title: "Zephyr-9 pump manual",
  content:
    "The Zephyr-9 is a submersible pump for garden ponds. It moves up to 40 litres of water per minute. " +
    "The Zephyr-9 costs 129 euros and comes with a three-year warranty. Clean the intake filter every two weeks.",
};
export const HEATER = {
  title: "Aurora heater guide",
  content: "The Aurora heater warms rooms of up to 30 square metres. At full power it draws 2 kilowatts from the mains.",
};
